"""The output policy of every command: atomic files and folders, --force, no writing through links, missing parents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factorysec.outputs import (
    OutputError,
    atomic_folder,
    atomic_text,
    check_file_target,
    check_folder_target,
    prepare_folder,
    write_output,
)


def test_a_new_file_is_written_with_the_usual_permissions_and_no_temporary_left(tmp_path: Path) -> None:
    target = write_output(tmp_path / "out.txt", "hello", force=False)
    assert target.read_text(encoding="utf-8") == "hello"
    assert os.listdir(tmp_path) == ["out.txt"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_an_existing_file_is_kept_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    target = tmp_path / "factory.yaml"
    target.write_text("# my comments\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"factory\.yaml already exists; use --force to replace it"):
        write_output(target, "new", force=False)
    assert target.read_text(encoding="utf-8") == "# my comments\n"
    write_output(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_text(target, force=True) as handle:
        handle.write("half")
        raise RuntimeError("renderer failed")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_symbolic_link_is_never_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "out.txt"
    link.symlink_to(victim)
    with pytest.raises(OutputError, match="is a symbolic link; factorysec does not write through links"):
        write_output(link, "x", force=False)
    write_output(link, "x", force=True)  # the link itself is replaced
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "x"


def test_a_dangling_link_is_refused_too(tmp_path: Path) -> None:
    link = tmp_path / "out.txt"
    link.symlink_to(tmp_path / "elsewhere.txt")
    with pytest.raises(OutputError, match="symbolic link"):
        check_file_target(link, force=False)
    assert not (tmp_path / "elsewhere.txt").exists()


def test_a_folder_where_a_file_is_meant_and_a_missing_parent(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"is a folder; give a file name, e\.g\. .*review\.html"):
        check_file_target(tmp_path, force=True, example_name="review.html")
    with pytest.raises(OutputError, match=r"the folder .*missing does not exist; create it first"):
        check_file_target(tmp_path / "missing" / "out.json", force=False)
    (tmp_path / "plain").write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match=r"plain is a file, not a folder"):
        check_file_target(tmp_path / "plain" / "out.json", force=False)


def test_a_place_that_cannot_be_written_is_one_line() -> None:
    with pytest.raises(OutputError) as refused:
        write_output(Path("/sys/factorysec-out.json"), "{}", force=False)
    message = str(refused.value)
    assert (
        message.startswith("cannot write /sys/factorysec-out.json: ") and "choose a place you can write to" in message
    )
    assert "\n" not in message


def test_prepare_folder_creates_one_level_only(tmp_path: Path) -> None:
    assert prepare_folder(tmp_path / "new").is_dir()
    with pytest.raises(OutputError, match="does not exist"):
        prepare_folder(tmp_path / "a" / "b")
    assert not (tmp_path / "a").exists()
    assert prepare_folder(tmp_path / "later", create=False) == tmp_path / "later"
    assert not (tmp_path / "later").exists()


OWNED = {"report.md", "report.html"}


def test_a_folder_is_written_whole_and_an_earlier_one_replaced(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with atomic_folder(out, OWNED) as staging:
        assert not out.exists()
        (staging / "report.md").write_text("one", encoding="utf-8")
        (staging / "report.html").write_text("one", encoding="utf-8")
    assert sorted(os.listdir(out)) == ["report.html", "report.md"]
    with atomic_folder(out, OWNED) as staging:
        (staging / "report.md").write_text("two", encoding="utf-8")
    assert os.listdir(out) == ["report.md"] and (out / "report.md").read_text(encoding="utf-8") == "two"
    assert os.listdir(tmp_path) == ["report"]


def test_a_failing_writer_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with pytest.raises(RuntimeError), atomic_folder(out, OWNED) as staging:
        (staging / "report.md").write_text("half", encoding="utf-8")
        raise RuntimeError("renderer failed")
    assert os.listdir(tmp_path) == []
    out.mkdir()
    (out / "report.md").write_text("earlier", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_folder(out, OWNED) as staging:
        (staging / "report.md").write_text("half", encoding="utf-8")
        raise RuntimeError("renderer failed")
    assert os.listdir(tmp_path) == ["report"] and (out / "report.md").read_text(encoding="utf-8") == "earlier"


def test_a_folder_with_other_files_or_a_link_inside_is_refused_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(
        OutputError, match=r"holds notes\.txt, which this command does not write; give a new or empty folder"
    ):
        check_folder_target(out, OWNED)
    (out / "notes.txt").unlink()
    victim = tmp_path / "victim.html"
    victim.write_text("keep", encoding="utf-8")
    (out / "report.html").symlink_to(victim)
    with pytest.raises(OutputError, match=r"report\.html is a symbolic link; factorysec does not write through links"):
        with atomic_folder(out, OWNED) as staging:
            (staging / "report.html").write_text("x", encoding="utf-8")
    assert victim.read_text(encoding="utf-8") == "keep" and (out / "report.html").is_symlink()


def test_a_file_or_a_link_where_a_folder_is_meant(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        check_folder_target(tmp_path / "file", OWNED)
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(OutputError, match="is a symbolic link"):
        check_folder_target(tmp_path / "link", OWNED)
    with pytest.raises(OutputError, match="does not exist"):
        check_folder_target(tmp_path / "no" / "report", OWNED)


def test_paths_are_shown_without_control_characters(tmp_path: Path) -> None:
    target = tmp_path / "a\x1b[31mred.txt"
    target.write_text("", encoding="utf-8")
    with pytest.raises(OutputError) as refused:
        write_output(target, "x", force=False)
    assert "\x1b" not in str(refused.value) and "a\\x1b[31mred.txt" in str(refused.value)


def test_a_full_disk_is_one_line_but_a_reading_error_or_a_closed_pipe_is_not_hidden(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(OutputError, match=r"cannot write .*out\.txt: No space left on device; choose a place"):
        with atomic_text(target, force=False):
            raise OSError(28, "No space left on device")
    with pytest.raises(FileNotFoundError), atomic_text(target, force=False):
        raise FileNotFoundError(2, "No such file or directory", "/usr/share/somewhere/template.html")
    with pytest.raises(BrokenPipeError), atomic_folder(tmp_path / "report", OWNED):
        raise BrokenPipeError(32, "Broken pipe")
    assert os.listdir(tmp_path) == []
