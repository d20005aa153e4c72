(function () {
  "use strict";
  var input = document.getElementById("finding-filter");
  if (input) {
    var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      findings.forEach(function (item) {
        var match = !needle || item.textContent.toLowerCase().indexOf(needle) !== -1;
        item.classList.toggle("hidden", !match);
      });
    });
  }
  document.documentElement.setAttribute("data-report-ready", "true");
}());
