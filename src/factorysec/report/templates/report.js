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
  // A word of a table cell that is longer than any ordinary word (a 128-character id, a name with no spaces) goes
  // into a <span class="long">, which report.css lets break anywhere; the text itself stays as it is.
  var longWord = /[^\s\-\/\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{30,}/;
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: function (node) {
      return longWord.test(node.data) && node.parentNode.closest("td") ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    }
  });
  var found = [];
  while (walker.nextNode()) { found.push(walker.currentNode); }
  found.forEach(function (node) {
    var match;
    while ((match = longWord.exec(node.data)) !== null) {
      var word = node.splitText(match.index);
      node = word.splitText(match[0].length);
      var span = document.createElement("span");
      span.className = "long";
      word.parentNode.replaceChild(span, word);
      span.appendChild(word);
    }
  });
  document.documentElement.setAttribute("data-report-ready", "true");
}());
