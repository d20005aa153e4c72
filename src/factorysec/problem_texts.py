"""The texts of input problems, by code: an English and a Japanese template each (see :class:`factorysec.problems.Said`).

A template names its parameters as ``{name}``; literal braces are doubled. The English template gives, byte for byte,
the text the problem had before it had a code. A parameter that is itself a message is said in the template's
language; ids, values, field names and paths are parameters written as they are in both.
"""

from __future__ import annotations

TEMPLATES: dict[str, dict[str, str]] = {
    # joining words and small phrases, used as parameters of other messages
    "join.or": {"en": "{first} or {rest}", "ja": "{first}または{rest}"},
    "join.or_names": {"en": "{first} or {rest}", "ja": "{first} または {rest}"},
    "did_you_mean": {"en": "did you mean '{suggestion}'?", "ja": "'{suggestion}' のことですか？"},
    "got.mapping": {"en": "a mapping", "ja": "マッピング"},
    "got.list": {"en": "a list", "ja": "リスト"},
    "got.nothing": {"en": "nothing", "ja": "空の値"},
    "got.value": {"en": "{value}", "ja": "{value}"},
    "got.date": {"en": "the date {date}", "ja": "日付 {date}"},
    # the structure of the model (pydantic's errors, read by the loader)
    "missing_section": {"en": "missing required section '{name}'", "ja": "必須のセクション '{name}' がありません"},
    "missing_section.factory.hint": {
        "en": "add 'factory: {{id: ..., name: ...}}'",
        "ja": "'factory: {{id: ..., name: ...}}' を追加してください",
    },
    "unknown_field": {"en": "unknown field '{name}'", "ja": "'{name}' という項目はありません"},
    "unknown_field.allowed": {"en": "allowed: {allowed}", "ja": "使える項目: {allowed}"},
    "remove_it": {"en": "remove it", "ja": "削除してください"},
    "missing_field": {"en": "missing required field '{name}'", "ja": "必須の項目 '{name}' がありません"},
    "add_it": {"en": "add it", "ja": "追加してください"},
    "not_allowed": {
        "en": "'{value}' is not allowed, expected one of: {options}",
        "ja": "'{value}' は使えません。次のいずれかです: {options}",
    },
    "use_one_of": {"en": "use one of: {options}", "ja": "次のいずれかを使ってください: {options}"},
    "expected_mapping": {
        "en": "expected a mapping of fields, got {got}",
        "ja": "項目のマッピングが必要です（値: {got}）",
    },
    "expected_mapping.hint": {"en": "write it as 'field: value' lines", "ja": "'項目: 値' の行で書いてください"},
    "expected_list": {"en": "expected a list, got {got}", "ja": "リストが必要です（値: {got}）"},
    "expected_list.hint": {"en": "write each entry as '- value'", "ja": "各要素を '- 値' と書いてください"},
    "expected_text": {"en": "expected text, got {got}", "ja": "文字列が必要です（値: {got}）"},
    "expected_text.after_colon": {"en": "write the text after the colon", "ja": "コロンの後に文字列を書いてください"},
    "expected_text.single": {"en": "write a single value", "ja": "値を一つだけ書いてください"},
    "expected_text.quote": {"en": 'quote it: "{quoted}"', "ja": '引用符で囲んでください: "{quoted}"'},
    "listed": {"en": "'{value}' is listed {times}{spelled}", "ja": "'{value}' が{times}書かれています{spelled}"},
    "listed.twice": {"en": "twice", "ja": "2回"},
    "listed.times": {"en": "{count} times", "ja": "{count}回"},
    "listed.first_as": {"en": ", first as '{earlier}'", "ja": "（最初は '{earlier}'）"},
    "listed.hint": {
        "en": "list each value once: remove this one",
        "ja": "各値は一度だけ書いてください。これを削除してください",
    },
    "expected_whole_number": {"en": "expected a whole number, got {got}", "ja": "整数が必要です（値: {got}）"},
    "finite_number": {"en": "must be a finite number, got {got}", "ja": "有限の数でなければなりません（値: {got}）"},
    "expected_bool": {"en": "expected true or false, got {got}", "ja": "true または false が必要です（値: {got}）"},
    "number_not_bool": {
        "en": "expected a number, not true or false, got {got}",
        "ja": "true や false ではなく数値が必要です（値: {got}）",
    },
    "iso_date": {
        "en": "expected an ISO date such as 2026-04-01, got {got}",
        "ja": "2026-04-01 のような ISO 形式の日付が必要です（値: {got}）",
    },
    "not_country": {"en": "'{value}' is not a country code", "ja": "'{value}' は国コードではありません"},
    "not_country.hint": {
        "en": "write the two upper-case letters of ISO 3166-1 alpha-2, e.g. JP",
        "ja": "ISO 3166-1 alpha-2 の大文字2文字で書いてください（例: JP）",
    },
    "bad_identifier": {"en": "'{value}' is not a valid identifier", "ja": "'{value}' は ID として使えません"},
    "bad_identifier.hint": {
        "en": "use letters, digits, '.', '_' or '-', starting with a letter or digit",
        "ja": "英字・数字・'.'・'_'・'-' を使い、英字か数字で始めてください",
    },
    "bad_catalog_id": {"en": "'{value}' is not a valid catalog id", "ja": "'{value}' はカタログの ID として使えません"},
    "bad_catalog_id.hint": {
        "en": "catalog ids use lowercase letters, digits, '.', '/' or '-'{suggestion}",
        "ja": "カタログの ID には英小文字・数字・'.'・'/'・'-' を使います{suggestion}",
    },
    "bad_protocol_id": {
        "en": "'{value}' is not a valid protocol id",
        "ja": "'{value}' はプロトコルの ID として使えません",
    },
    "bad_protocol_id.hint": {
        "en": "protocol ids use lowercase letters, digits, '.', '+', '/', '_' or '-'{suggestion}",
        "ja": "プロトコルの ID には英小文字・数字・'.'・'+'・'/'・'_'・'-' を使います{suggestion}",
    },
    "id_suggestion": {"en": ": did you mean '{fixed}'?", "ja": "。'{fixed}' のことですか？"},
    "not_ip_address": {
        "en": "{value} does not appear to be an IPv4 or IPv6 address",
        "ja": "{value} は IPv4 や IPv6 のアドレスではありません",
    },
    "not_ip_network": {
        "en": "{value} does not appear to be an IPv4 or IPv6 network",
        "ja": "{value} は IPv4 や IPv6 のネットワークではありません",
    },
    "importance_differs": {
        "en": "importance '{importance}' differs from the highest rating in importance_by_axis ('{highest}');"
        " leave importance out or make it that rating",
        "ja": "importance '{importance}' が importance_by_axis の最も高い評価（'{highest}'）と異なります。"
        "importance を省くか、その評価にしてください",
    },
    "one_way_two_way": {
        "en": "a conduit with one_way: true lets traffic through from 'from' to 'to' only, so its data cannot go both"
        " ways; set direction: one-way, or one_way: false if replies do come back (got {got})",
        "ja": "one_way: true のコンジットは 'from' から 'to' へしか通信を通さないため、データは双方向に流れません。"
        "direction: one-way にするか、応答が戻るなら one_way: false にしてください（値: {got}）",
    },
    # pydantic's own errors without a message of ours: the English is pydantic's message, the Japanese its template
    "pydantic.greater_than_equal": {"en": "{msg}", "ja": "{ge} 以上でなければなりません（値: {got}）"},
    "pydantic.greater_than": {"en": "{msg}", "ja": "{gt} より大きくなければなりません（値: {got}）"},
    "pydantic.less_than_equal": {"en": "{msg}", "ja": "{le} 以下でなければなりません（値: {got}）"},
    "pydantic.less_than": {"en": "{msg}", "ja": "{lt} より小さくなければなりません（値: {got}）"},
    "pydantic.string_too_long": {"en": "{msg}", "ja": "{max_length} 文字以内でなければなりません（値: {got}）"},
    "pydantic.string_too_short": {"en": "{msg}", "ja": "{min_length} 文字以上でなければなりません（値: {got}）"},
    "pydantic.too_long": {"en": "{msg}", "ja": "要素は {max_length} 個以内でなければなりません（値: {got}）"},
    "pydantic.too_short": {"en": "{msg}", "ja": "要素は {min_length} 個以上でなければなりません（値: {got}）"},
    "pydantic.float_parsing": {"en": "{msg}", "ja": "数値が必要です（値: {got}）"},
    "pydantic.float_type": {"en": "{msg}", "ja": "数値が必要です（値: {got}）"},
    "pydantic.date_type": {"en": "{msg}", "ja": "日付が必要です（値: {got}）"},
    "pydantic.date_parsing": {"en": "{msg}", "ja": "有効な日付ではありません（{error}。値: {got}）"},
    "pydantic.date_from_datetime_parsing": {"en": "{msg}", "ja": "有効な日付ではありません（{error}。値: {got}）"},
    "pydantic.date_from_datetime_inexact": {"en": "{msg}", "ja": "時刻を含まない日付が必要です（値: {got}）"},
    "pydantic.missing": {"en": "{msg}", "ja": "必須の項目がありません"},
    "pydantic.extra_forbidden": {"en": "{msg}", "ja": "この項目は使えません（値: {got}）"},
    "pydantic.literal_error": {"en": "{msg}", "ja": "次のいずれかでなければなりません: {expected}（値: {got}）"},
    "pydantic.enum": {"en": "{msg}", "ja": "次のいずれかでなければなりません: {expected}（値: {got}）"},
    "pydantic.string_type": {"en": "{msg}", "ja": "文字列が必要です（値: {got}）"},
    "pydantic.int_type": {"en": "{msg}", "ja": "整数が必要です（値: {got}）"},
    "pydantic.int_parsing": {"en": "{msg}", "ja": "整数が必要です（値: {got}）"},
    "pydantic.int_from_float": {"en": "{msg}", "ja": "整数が必要です（値: {got}）"},
    "pydantic.bool_type": {"en": "{msg}", "ja": "true または false が必要です（値: {got}）"},
    "pydantic.bool_parsing": {"en": "{msg}", "ja": "true または false が必要です（値: {got}）"},
    "pydantic.dict_type": {"en": "{msg}", "ja": "マッピングが必要です（値: {got}）"},
    "pydantic.model_type": {"en": "{msg}", "ja": "マッピングが必要です（値: {got}）"},
    "pydantic.model_attributes_type": {"en": "{msg}", "ja": "マッピングが必要です（値: {got}）"},
    "pydantic.list_type": {"en": "{msg}", "ja": "リストが必要です（値: {got}）"},
    "pydantic.tuple_type": {"en": "{msg}", "ja": "リストが必要です（値: {got}）"},
    "pydantic.finite_number": {"en": "{msg}", "ja": "有限の数でなければなりません（値: {got}）"},
    "pydantic.other": {"en": "{msg}", "ja": "この値は使えません（{type}。値: {got}）"},
    "date_error.month": {"en": "{text}", "ja": "月が 1 から 12 の範囲にありません"},
    "date_error.day": {"en": "{text}", "ja": "日がその月の範囲にありません"},
    "date_error.other": {"en": "{text}", "ja": "日付として読めません"},
    # reading YAML text
    "cannot_read": {"en": "cannot read file: {reason}", "ja": "ファイルを読めません（{reason}）"},
    "file_too_big": {
        "en": "file is {size} bytes, over the {limit}-byte limit",
        "ja": "ファイルが {size} バイトあり、上限の {limit} バイトを超えています",
    },
    "file_too_big.hint": {
        "en": "split it into several files in a folder",
        "ja": "フォルダの中の複数のファイルに分けてください",
    },
    "file_is_spreadsheet": {
        "en": "file is {kind}, not YAML text",
        "ja": "ファイルは{kind}で、YAML のテキストではありません",
    },
    "file_is_spreadsheet.zip": {
        "en": "a zip archive (a spreadsheet such as .xlsm or .ods?)",
        "ja": "zip アーカイブ（.xlsm や .ods のような表計算のファイル？）",
    },
    "file_is_spreadsheet.ole": {
        "en": "an Excel 97-2003 workbook (.xls) or other OLE file",
        "ja": "Excel 97-2003 ブック（.xls）などの OLE ファイル",
    },
    "file_is_spreadsheet.hint": {
        "en": "a model workbook is read from a file ending in .xlsx: save it as Excel Workbook (.xlsx)",
        "ja": "モデルのブックは .xlsx のファイルから読みます。Excel ブック（.xlsx）として保存してください",
    },
    "not_utf8": {"en": "file is not valid UTF-8", "ja": "ファイルが UTF-8 として正しくありません"},
    "not_utf8.hint": {"en": "save it as UTF-8", "ja": "UTF-8 で保存してください"},
    "control_character": {
        "en": "text holds U+{code} ({name}), a control character reports and workbooks cannot carry",
        "ja": "文字列に U+{code}（{name}）があります。報告書やブックに書けない制御文字です",
    },
    "control_character.hint": {
        "en": "remove it: text pasted from a PDF often brings form feeds; a line break is written \\n",
        "ja": "削除してください。PDF から貼り付けた文字列には改ページがよく入ります。改行は \\n と書きます",
    },
    "control.NUL": {"en": "NUL", "ja": "NUL"},
    "control.bell": {"en": "bell", "ja": "ベル"},
    "control.backspace": {"en": "backspace", "ja": "バックスペース"},
    "control.vertical_tab": {"en": "vertical tab", "ja": "垂直タブ"},
    "control.form_feed": {"en": "form feed", "ja": "改ページ"},
    "control.carriage_return": {"en": "carriage return", "ja": "復帰"},
    "control.escape": {"en": "escape", "ja": "エスケープ"},
    "control.control_character": {"en": "control character", "ja": "制御文字"},
    "lone_surrogate": {
        "en": "text holds U+{code}, half of a UTF-16 surrogate pair, which no UTF-8 file can hold",
        "ja": "文字列に U+{code} があります。UTF-16 のサロゲートペアの片方で、UTF-8 のファイルには書けません",
    },
    "lone_surrogate.hint": {
        "en": "remove it or write the whole character",
        "ja": "削除するか、文字全体を書いてください",
    },
    "yaml.tag": {"en": "unsupported YAML tag {tag}", "ja": "YAML のタグ {tag} には対応していません"},
    "yaml.tag.hint": {
        "en": "only plain values, lists and mappings are allowed",
        "ja": "書けるのは普通の値、リスト、マッピングだけです",
    },
    "yaml.timestamp": {
        "en": "the YAML tag '!!timestamp' is not supported",
        "ja": "YAML のタグ '!!timestamp' には対応していません",
    },
    "yaml.timestamp.hint": {"en": "write the date without a tag", "ja": "日付はタグなしで書いてください"},
    "yaml.tag_value": {
        "en": "invalid {tag} value {value}: {error}",
        "ja": "{tag} の値 {value} が正しくありません（{error}）",
    },
    "yaml.too_many_values": {
        "en": "document expands to too many values (a YAML alias bomb?)",
        "ja": "文書を展開すると値が多すぎます（YAML のエイリアス爆弾？）",
    },
    "yaml.too_many_values.hint": {"en": "remove the nested aliases", "ja": "入れ子のエイリアスを削除してください"},
    "yaml.too_deep": {"en": "nesting deeper than {levels} levels", "ja": "入れ子が {levels} 段を超えています"},
    "yaml.too_deep.hint": {"en": "flatten the document", "ja": "入れ子を浅くしてください"},
    "yaml.recursive_alias": {"en": "recursive YAML alias", "ja": "YAML のエイリアスが自分自身を参照しています"},
    "yaml.recursive_alias.hint": {
        "en": "an anchor may not contain an alias to itself",
        "ja": "アンカーの中に自分自身へのエイリアスは書けません",
    },
    "yaml.merge_key": {
        "en": "YAML merge keys ('<<') are not supported",
        "ja": "YAML のマージキー（'<<'）には対応していません",
    },
    "yaml.merge_key.hint": {"en": "write the fields out", "ja": "項目をそれぞれ書いてください"},
    "yaml.complex_key": {
        "en": "mapping keys must be plain text",
        "ja": "マッピングのキーは普通の文字列でなければなりません",
    },
    "yaml.duplicate_key": {"en": "duplicate key {key}", "ja": "キー {key} が重複しています"},
    "yaml.duplicate_key.hint": {"en": "keep one of them", "ja": "どちらか一つだけにしてください"},
    "yaml.refused_character": {
        "en": "file contains the character U+{code}, which YAML does not allow",
        "ja": "ファイルに YAML で使えない文字 U+{code} があります",
    },
    "yaml.refused_character.hint": {
        "en": "remove it or write it as an escape in double quotes",
        "ja": "削除するか、二重引用符の中でエスケープとして書いてください",
    },
    "yaml.syntax": {"en": "YAML syntax error: {detail}", "ja": "YAML の構文エラー: {detail}"},
    "yaml.syntax_error": {"en": "YAML syntax error", "ja": "YAML の構文エラー"},
    "yaml.error": {"en": "YAML error: {detail}", "ja": "YAML のエラー: {detail}"},
    "yaml.unreadable": {"en": "cannot read the document", "ja": "文書を読めません"},
    "yaml.tabs": {"en": "indent with spaces, not tabs", "ja": "字下げにはタブではなく空白を使ってください"},
    "yaml.context_problem": {"en": "{context} {problem}", "ja": "{context}{problem}"},
    "yaml.phrase": {"en": "{text}", "ja": "読み取れません（{text}）"},
    "yaml.phrase.flow_sequence": {"en": "{text}", "ja": "[ ] のリストを読む途中で、"},
    "yaml.phrase.flow_mapping": {"en": "{text}", "ja": "{{ }} のマッピングを読む途中で、"},
    "yaml.phrase.block_mapping": {"en": "{text}", "ja": "マッピングを読む途中で、"},
    "yaml.phrase.block_collection": {"en": "{text}", "ja": "リストを読む途中で、"},
    "yaml.phrase.scalar": {"en": "{text}", "ja": "値を読む途中で、"},
    "yaml.phrase.simple_key": {"en": "{text}", "ja": "キーを読む途中で、"},
    "yaml.phrase.next_token": {"en": "{text}", "ja": ""},
    "yaml.phrase.reading": {"en": "{text}", "ja": "読む途中で、"},
    "yaml.phrase.sequence_end": {"en": "{text}", "ja": "',' か ']' がありません"},
    "yaml.phrase.mapping_end": {"en": "{text}", "ja": "',' か '}}' がありません"},
    "yaml.phrase.mapping_values": {"en": "{text}", "ja": "ここには 'キー: 値' を書けません"},
    "yaml.phrase.bad_start": {"en": "{text}", "ja": "値の始めに使えない文字があります"},
    "yaml.phrase.undefined_alias": {"en": "{text}", "ja": "定義されていないエイリアスがあります"},
    "yaml.phrase.end_of_stream": {"en": "{text}", "ja": "文書が途中で終わっています"},
    "yaml.phrase.colon": {"en": "{text}", "ja": "':' がありません"},
    "yaml.phrase.key": {"en": "{text}", "ja": "キーがありません"},
    "yaml.phrase.block_end": {"en": "{text}", "ja": "字下げの終わりが合いません"},
    "yaml.phrase.document_start": {"en": "{text}", "ja": "文書の始まりが正しくありません"},
    "yaml.phrase.node_content": {"en": "{text}", "ja": "値がありません"},
    "yaml.phrase.dash": {"en": "{text}", "ja": "'-' がありません"},
    "yaml.phrase.escape": {"en": "{text}", "ja": "知らないエスケープ文字があります"},
    "yaml.phrase.tab": {"en": "{text}", "ja": "タブ文字があります"},
    "yaml.phrase.duplicate_anchor": {"en": "{text}", "ja": "アンカーが重複しています"},
    "yaml.phrase.alphanumeric": {"en": "{text}", "ja": "英字か数字がありません"},
    "yaml.phrase.unicode_escape": {"en": "{text}", "ja": "Unicode のエスケープが正しくありません"},
    "yaml.phrase.hex": {"en": "{text}", "ja": "16 進数がありません"},
    "yaml.phrase.line_break": {"en": "{text}", "ja": "コメントか改行が必要です"},
    "yaml.phrase.whitespace": {"en": "{text}", "ja": "空白か改行が必要です"},
    "yaml.phrase.version": {"en": "{text}", "ja": "対応していない版の YAML 文書です"},
    "yaml.phrase.single_document": {"en": "{text}", "ja": "一つのファイルには文書を一つだけ書きます。"},
    "yaml.phrase.another_document": {"en": "{text}", "ja": "2つ目の文書があります"},
    # the decisions file and the scoring config beside a model
    "plan.top_not_mapping": {
        "en": "expected a mapping at the top, found {kind}",
        "ja": "最上位はマッピングでなければなりませんが、{kind} です",
    },
    "plan.decision_twice": {
        "en": "second decision for finding '{finding}' (first on line {line})",
        "ja": "指摘 '{finding}' への2つ目の判断です（1つ目は {line} 行目）",
    },
    "plan.keep_one": {"en": "keep one", "ja": "一つだけにしてください"},
    "plan.scoring_empty": {"en": "the scoring file is empty", "ja": "スコアリングのファイルが空です"},
    "plan.scoring_empty.hint": {
        "en": "give a 'scoring:' section as docs/scoring.md shows, or leave --scoring out for the default scoring",
        "ja": "docs/scoring.md のとおり 'scoring:' セクションを書くか、既定のスコアリングなら --scoring を省いてください",
    },
    "plan.unknown_threat": {"en": "unknown threat type '{threat}'", "ja": "脅威の種類 '{threat}' はありません"},
    "plan.unknown_threat.hint": {
        "en": "use an id from catalog 'threat_types'",
        "ja": "カタログの 'threat_types' の ID を使ってください",
    },
    "plan.unknown_trait": {"en": "unknown trait '{trait}'", "ja": "特性 '{trait}' はありません"},
    "plan.unknown_trait.hint": {"en": "use one of {traits}", "ja": "次のいずれかを使ってください: {traits}"},
    "plan.thresholds": {
        "en": "thresholds must decrease: critical > high > medium",
        "ja": "しきい値は critical > high > medium の順に小さくなければなりません",
    },
    # the workspace's own refusals of an element (beside the check's problems, on the same pages)
    "draft.id_changed": {
        "en": "'{id}' is not '{key}', the element this edit is for",
        "ja": "'{id}' は、この編集の対象の要素 '{key}' ではありません",
    },
    "draft.id_changed.hint": {
        "en": "a draft edit keeps the id; to rename, delete the element and add it under the new id",
        "ja": "下書きの編集では ID は変えられません。名前を変えるには、要素を削除して新しい ID で追加してください",
    },
    "draft.id_used": {
        "en": "'{key}' is already used in {section}",
        "ja": "'{key}' は {section} ですでに使われています",
    },
    "draft.id_used.hint": {"en": "choose another id", "ja": "別の ID にしてください"},
    "decision.too_long": {
        "en": "at most {limit} characters (it has {count})",
        "ja": "{limit} 文字以内にしてください（{count} 文字あります）",
    },
    "store.factory_delete": {"en": "the factory section cannot be deleted", "ja": "factory セクションは削除できません"},
    "store.factory_delete.hint": {"en": "edit it instead", "ja": "代わりに編集してください"},
    # model workbooks (the place, "book.xlsx: sheet 'assets' row 7 column 'zone'", stays as it is)
    "keep_one": {"en": "keep one of them", "ja": "一つだけにしてください"},
    "no_such_file": {"en": "no such file", "ja": "ファイルがありません"},
    "names.more": {"en": "{names} and {count} more", "ja": "{names} ほか {count} 列"},
    "cell.not_a_value": {"en": "the cell holds {what}, not a value", "ja": "セルが値ではなく{what}を持っています"},
    "cell.not_a_value.hint": {
        "en": "type the value itself (in Excel: copy the cell, then Paste Values)",
        "ja": "値そのものを入力してください（Excel では、セルをコピーして「値の貼り付け」）",
    },
    "cell.formula": {"en": "a formula ({formula})", "ja": "数式（{formula}）"},
    "cell.error_value": {"en": "the error value {value}", "ja": "エラー値 {value} "},
    "cell.merged": {
        "en": "the cells {ref} are merged: the value shows across them but is held by {first} alone",
        "ja": "セル {ref} が結合されています。値は全体に表示されますが、持っているのは {first} だけです",
    },
    "cell.merged.hint": {
        "en": "unmerge the cells and type the value in each one",
        "ja": "セルの結合を解除し、それぞれに値を入力してください",
    },
    "cell.type_as_text": {
        "en": "format the cell as Text and type the value again",
        "ja": "セルの書式を「文字列」にして、値を入力し直してください",
    },
    "cell.shown_as": {"en": " (shown with the format '{format}')", "ja": "（表示形式 '{format}'）"},
    "cell.turned.long_number": {
        "en": "the spreadsheet turned the text into the number {number}, which keeps only {digits} digits",
        "ja": "表計算ソフトが文字列を数値 {number} に変えました。数値は {digits} 桁までしか保たれません",
    },
    "cell.turned.number": {
        "en": "the spreadsheet turned the text into the number {number}{shown_as}, which may not be what was typed"
        " (2.10 becomes 2.1)",
        "ja": "表計算ソフトが文字列を数値 {number}{shown_as} に変えました。入力したとおりとは限りません"
        "（2.10 は 2.1 になります）",
    },
    "cell.turned.datetime": {
        "en": "the spreadsheet turned the text into the date and time {value}{shown_as}",
        "ja": "表計算ソフトが文字列を日時 {value}{shown_as} に変えました",
    },
    "cell.turned.date": {
        "en": "the spreadsheet turned the text into the date {value}{shown_as}",
        "ja": "表計算ソフトが文字列を日付 {value}{shown_as} に変えました",
    },
    "cell.turned.time": {
        "en": "the spreadsheet turned the text into the time {value}{shown_as}",
        "ja": "表計算ソフトが文字列を時刻 {value}{shown_as} に変えました",
    },
    "cell.turned.bool": {
        "en": "the spreadsheet turned the text into {value}",
        "ja": "表計算ソフトが文字列を {value} に変えました",
    },
    "cell.unreadable": {"en": "cannot read the cell: {reason}", "ja": "セルを読めません（{reason}）"},
    "cell.unreadable.hint": {
        "en": "separate items with ';' or write a JSON array",
        "ja": "項目を ';' で区切るか、JSON の配列で書いてください",
    },
    "cell.not_json_array": {"en": "not a JSON array", "ja": "JSON の配列ではありません"},
    "cell.expected_entries": {"en": "expected a JSON array of entries", "ja": "要素の JSON 配列が必要です"},
    "cell.json_error": {"en": "{text}", "ja": "JSON として読めません"},
    "column.twice": {"en": "column '{header}' appears twice", "ja": "列 '{header}' が2回あります"},
    "sheet.no_header": {
        "en": "row 1 names none of the sheet's fields ({fields}, ...), so the entries from row {first} on cannot be read",
        "ja": "1 行目にシートの項目（{fields} など）が一つもないため、{first} 行目からの要素を読めません",
    },
    "sheet.no_header.hint": {
        "en": "keep the exported header row as the sheet's first row",
        "ja": "書き出したときの見出しの行をシートの 1 行目に残してください",
    },
    "column.headerless": {"en": "value in a column without a header{more}", "ja": "見出しのない列に値があります{more}"},
    "column.headerless.one_more": {"en": " (and in 1 more row below)", "ja": "（下のもう 1 行にもあります）"},
    "column.headerless.more": {"en": " (and in {count} more rows below)", "ja": "（下のほか {count} 行にもあります）"},
    "column.headerless.hint": {
        "en": "add the field name in row 1 or clear the column{missing}",
        "ja": "1 行目に項目名を書くか、列を空にしてください{missing}",
    },
    "column.headerless.missing": {
        "en": "; the sheet has no column {names}",
        "ja": "。シートには列 {names} がありません",
    },
    "column.unknown": {
        "en": "the sheet has no field '{header}'{held}",
        "ja": "シートに '{header}' という項目はありません{held}",
    },
    "column.unknown.held_one": {"en": ", so its value in 1 row cannot be read", "ja": "。1 行の値を読めません"},
    "column.unknown.held": {
        "en": ", so its values in {count} rows cannot be read",
        "ja": "。{count} 行の値を読めません",
    },
    "column.unknown.case": {
        "en": "did you mean '{name}'? a header must match in case too",
        "ja": "'{name}' のことですか？見出しは大文字・小文字も一致させてください",
    },
    "column.unknown.width": {
        "en": "did you mean '{name}'? a header is typed in half-width characters, as exported",
        "ja": "'{name}' のことですか？見出しは書き出したときのとおり半角で入力してください",
    },
    "column.unknown.rename": {
        "en": "rename it to one of the exported headers, or delete the column{free}",
        "ja": "書き出したときの見出しのどれかに名前を変えるか、列を削除してください{free}",
    },
    "column.unknown.free": {"en": "; free text goes in '{name}'", "ja": "。自由記述は '{name}' に書きます"},
    "columns.missing.one.entry": {
        "en": "the sheet has no column {names}; read as empty, it would clear the field in the entry",
        "ja": "シートに列 {names} がありません。空として読むと、要素のその項目が消えます",
    },
    "columns.missing.one.entries": {
        "en": "the sheet has no column {names}; read as empty, it would clear the field in all {rows} entries",
        "ja": "シートに列 {names} がありません。空として読むと、{rows} 個の要素すべてでその項目が消えます",
    },
    "columns.missing.many.entry": {
        "en": "the sheet has no column {names}; read as empty, they would clear those fields in the entry",
        "ja": "シートに列 {names} がありません。空として読むと、要素のそれらの項目が消えます",
    },
    "columns.missing.many.entries": {
        "en": "the sheet has no column {names}; read as empty, they would clear those fields in all {rows} entries",
        "ja": "シートに列 {names} がありません。空として読むと、{rows} 個の要素すべてでそれらの項目が消えます",
    },
    "columns.missing.hint": {
        "en": "restore the column from the exported workbook; to clear a field, keep its column with the header and"
        " empty cells",
        "ja": "書き出したブックから列を戻してください。項目を空にするには、見出しを残して列のセルを空にします",
    },
    "sheet.unknown": {"en": "unknown sheet '{title}'", "ja": "'{title}' というシートはありません"},
    "sheet.unknown.renamed": {
        "en": "did you mean '{name}'? the workbook has no sheet '{name}': rename this one back",
        "ja": "'{name}' のことですか？ブックにシート '{name}' がありません。このシートの名前を戻してください",
    },
    "sheet.unknown.list": {"en": "sheets are: {sheets}", "ja": "シートは次のとおりです: {sheets}"},
    "sheet.missing": {
        "en": "the workbook has no sheet '{title}'; read as empty, it would delete {lost}",
        "ja": "ブックにシート '{title}' がありません。空として読むと、{lost}が消えます",
    },
    "sheet.missing.section": {"en": "the section", "ja": "このセクション"},
    "sheet.missing.entries": {"en": "every entry of '{section}'", "ja": "'{section}' のすべての要素"},
    "sheet.missing.hint": {
        "en": "restore the sheet from the exported workbook; to leave the section empty, keep the sheet with only its"
        " header row",
        "ja": "書き出したブックからシートを戻してください。セクションを空にするには、見出しの行だけのシートを残します",
    },
    "sheet.listed_twice": {"en": "the workbook lists this sheet twice", "ja": "ブックがこのシートを2回挙げています"},
    "sheet.no_part": {
        "en": "not readable (the workbook names no part for it)",
        "ja": "読めません（ブックにこのシートの部分がありません）",
    },
    "sheet.part_missing": {
        "en": "not readable (its part {part} is missing)",
        "ja": "読めません（部分 {part} がありません）",
    },
    "sheet.chart": {
        "en": "a chart sheet, not a sheet of entries",
        "ja": "グラフのシートで、要素のシートではありません",
    },
    "sheet.chart.hint": {
        "en": "delete it; keep charts in another workbook",
        "ja": "削除してください。グラフは別のブックに置きます",
    },
    "sheet.one_entry": {
        "en": "sheet '{title}' holds one entry only",
        "ja": "シート '{title}' には要素を一つだけ書きます",
    },
    "sheet.one_entry.hint": {"en": "delete the extra rows", "ja": "余分な行を削除してください"},
    "sheet.no_entry": {
        "en": "the sheet holds no entry, and the model needs its '{section}' section",
        "ja": "シートに要素がありませんが、モデルには '{section}' セクションが必要です",
    },
    "sheet.no_entry.hint": {
        "en": "fill in row 2: {fields} and the other fields",
        "ja": "2 行目に {fields} などの項目を書いてください",
    },
    "workbook.unreadable": {
        "en": "not a readable .xlsx workbook ({reason})",
        "ja": "読める .xlsx のブックではありません（{reason}）",
    },
    "workbook.unreadable.hint": {"en": "save it from Excel as .xlsx", "ja": "Excel で .xlsx として保存してください"},
    "workbook.not_zip": {"en": "not a zip archive: {kind}", "ja": "zip アーカイブではありません: {kind}"},
    "workbook.too_many_parts": {
        "en": "{parts} parts in the archive, more than {most}",
        "ja": "アーカイブの部分が {parts} 個あり、{most} 個を超えています",
    },
    "workbook.too_many_parts.hint": {
        "en": "a model workbook holds one part per sheet",
        "ja": "モデルのブックはシートごとに部分を一つ持ちます",
    },
    "workbook.too_big": {
        "en": "its parts unzip to {total} bytes, more than the {most} MiB a model workbook may hold",
        "ja": "展開すると {total} バイトになり、モデルのブックの上限 {most} MiB を超えます",
    },
    "workbook.too_big.hint": {
        "en": "this is no model workbook (possibly a zip bomb); export the model again with 'factorysec workbook export'",
        "ja": "モデルのブックではありません（zip 爆弾かもしれません）。'factorysec workbook export' でモデルを書き出し直してください",
    },
    "workbook.damaged": {"en": "damaged sheet data: {detail}", "ja": "シートのデータが壊れています: {detail}"},
    "workbook.rows_past": {
        "en": "sheet '{title}' has rows past row {rows}",
        "ja": "シート '{title}' に {rows} 行目より後の行があります",
    },
    "workbook.row_order": {
        "en": "sheet '{title}' numbers row {number} after row {last}",
        "ja": "シート '{title}' で {number} 行目が {last} 行目の後にあります",
    },
    # the hidden 'factorysec' sheet recording which factorysec exported a workbook, in which format, with which columns
    "note": {"en": "note: {text}", "ja": "注: {text}"},
    "record.unreadable": {
        "en": "the sheet recording which factorysec exported the workbook cannot be read: {reason}",
        "ja": "ブックを書き出した factorysec を記録したシートを読めません（{reason}）",
    },
    "record.unreadable.hint": {
        "en": "restore the sheet from the exported workbook as it was, or export the model again",
        "ja": "書き出したブックからこのシートを元のとおりに戻すか、モデルを書き出し直してください",
    },
    "record.no_format": {
        "en": "its first row does not give the format as a whole number ('format' and, beside it, e.g. 1)",
        "ja": "1 行目に形式が整数で書かれていません（'format' と、その右に 1 など）",
    },
    "record.no_version": {
        "en": "no row 'factorysec' gives the version that wrote it",
        "ja": "書き出した版を示す 'factorysec' の行がありません",
    },
    "record.no_sheets": {
        "en": "no row 'sheet' heads the list of sheets and their columns",
        "ja": "シートとその列の一覧の見出しになる 'sheet' の行がありません",
    },
    "record.not_text": {
        "en": "row {row} column {column} holds {what}, not text",
        "ja": "{row} 行目 {column} 列が文字列ではなく{what}を持っています",
    },
    "record.not_text.value": {"en": "a number, date or TRUE/FALSE", "ja": "数値・日付・TRUE/FALSE"},
    "record.sheet_twice": {
        "en": "row {row} lists the sheet '{title}' a second time",
        "ja": "{row} 行目がシート '{title}' をもう一度挙げています",
    },
    "record.column_twice": {
        "en": "row {row} lists the column '{header}' of the sheet '{title}' a second time",
        "ja": "{row} 行目がシート '{title}' の列 '{header}' をもう一度挙げています",
    },
    "record.no_columns": {
        "en": "row {row} lists the sheet '{title}' with no column",
        "ja": "{row} 行目がシート '{title}' を列なしで挙げています",
    },
    "record.no_title": {
        "en": "row {row} lists columns under no sheet",
        "ja": "{row} 行目がシート名なしで列を挙げています",
    },
    "record.no_sheet_listed": {"en": "it lists no sheet", "ja": "シートが一つも挙げられていません"},
    "record.newer": {
        "en": "the workbook was exported by factorysec {version} in workbook format {format}, newer than the format"
        " {known} this factorysec ({ours}) reads",
        "ja": "このブックは factorysec {version} がブック形式 {format} で書き出したもので、この factorysec（{ours}）"
        "が読める形式 {known} より新しい形式です",
    },
    "record.newer.hint": {
        "en": "read it with factorysec {version} or later, or export the model again with this factorysec",
        "ja": "factorysec {version} 以降で読むか、この factorysec でモデルを書き出し直してください",
    },
    "record.older": {
        "en": "{file} was exported by factorysec {version} (workbook format {format}) before these existed: {items};"
        " they take their defaults",
        "ja": "{file} は factorysec {version}（ブック形式 {format}）が書き出したもので、当時は次がありませんでした: "
        "{items}。既定値で読みます",
    },
    "record.item.columns": {"en": "column {names} of sheet '{sheet}'", "ja": "シート '{sheet}' の列 {names}"},
    "record.item.sheet": {"en": "sheet '{sheet}'", "ja": "シート '{sheet}'"},
    "record.items": {"en": "{first}; {rest}", "ja": "{first}と{rest}"},
    "record.retired": {
        "en": "factorysec {version} exported this column, but this factorysec has no field '{header}' (renamed or"
        " removed since, or added by a newer factorysec){held}",
        "ja": "factorysec {version} が書き出した列ですが、この factorysec には '{header}' という項目がありません"
        "（その後に名前が変わったか削除されたか、新しい factorysec で加わった項目です）{held}",
    },
    "record.retired.hint": {
        "en": "move its values to the field that holds them now, or delete the column to drop them",
        "ja": "値を今それを持つ項目に移すか、捨てるなら列を削除してください",
    },
    "record.retired.renamed": {
        "en": "if the field is now '{name}', rename the column to it; else move its values where they belong or"
        " delete the column to drop them",
        "ja": "項目が今は '{name}' なら、列の名前をそれに変えてください。そうでなければ値をしかるべき項目に移すか、"
        "捨てるなら列を削除してください",
    },
    "record.retired.empty": {
        "en": "{file}: sheet '{sheet}' column {names}, exported by factorysec {version}, names no field of this"
        " factorysec; it holds no value, so nothing is lost",
        "ja": "{file}: factorysec {version} が書き出したシート '{sheet}' の列 {names} は、この factorysec の項目"
        "ではありません。値がないので、失われるものはありません",
    },
    "record.retired_sheet": {
        "en": "factorysec {version} exported this sheet, but this factorysec has no section '{title}' (renamed or"
        " removed since, or added by a newer factorysec)",
        "ja": "factorysec {version} が書き出したシートですが、この factorysec には '{title}' というセクションが"
        "ありません（その後に名前が変わったか削除されたか、新しい factorysec で加わったセクションです）",
    },
    "record.retired_sheet.hint": {
        "en": "move its entries to the section that holds them now, or delete the sheet to drop them",
        "ja": "要素を今それを持つセクションに移すか、捨てるならシートを削除してください",
    },
    "record.none.columns": {
        "en": "{hint}; this workbook does not record which factorysec exported it (it has no sheet 'factorysec'), so"
        " a column added since cannot be told from one deleted: if it was exported before the field existed, add the"
        " column with only its header, and the field takes its default",
        "ja": "{hint}。このブックには書き出した factorysec の記録（シート 'factorysec'）がないため、その後に加わった"
        "列と削除された列を見分けられません。項目ができる前に書き出したブックなら、見出しだけの列を加えると、"
        "項目は既定値になります",
    },
    "record.none.sheet": {
        "en": "{hint}; this workbook does not record which factorysec exported it (it has no sheet 'factorysec'), so"
        " a sheet added since cannot be told from one deleted: if it was exported before the section existed, add the"
        " sheet with only its header row",
        "ja": "{hint}。このブックには書き出した factorysec の記録（シート 'factorysec'）がないため、その後に加わった"
        "シートと削除されたシートを見分けられません。セクションができる前に書き出したブックなら、見出しの行だけの"
        "シートを加えてください",
    },
    # model files and change files (read before the model is validated)
    "no_such_path": {"en": "no such file or folder", "ja": "ファイルもフォルダもありません"},
    "no_such_path.hint": {"en": "check the path", "ja": "パスを確かめてください"},
    "empty_folder": {
        "en": "folder holds no .yaml or .yml files",
        "ja": "フォルダに .yaml や .yml のファイルがありません",
    },
    "empty_folder.hint": {"en": "add the model files", "ja": "モデルのファイルを置いてください"},
    "change_in_folder": {
        "en": "change files cannot be part of a model folder",
        "ja": "変更ファイルはモデルのフォルダに置けません",
    },
    "change_in_folder.hint": {
        "en": "review or check the change file on its own",
        "ja": "変更ファイルは単独で review や check にかけてください",
    },
    "file_not_mapping": {
        "en": "a model file must be a mapping of sections (factory:, zones:, assets: ...)",
        "ja": "モデルのファイルはセクションのマッピングでなければなりません（factory:、zones:、assets: ...）",
    },
    "section_not_list": {"en": "'{section}' must be a list", "ja": "'{section}' はリストでなければなりません"},
    "section_not_list.hint": {"en": "write each entry as '- id: ...'", "ja": "各要素を '- id: ...' と書いてください"},
    "section_twice": {
        "en": "'{section}' is already defined in {first}",
        "ja": "'{section}' は {first} ですでに定義されています",
    },
    "section_twice.hint": {"en": "keep it in one file", "ja": "一つのファイルにだけ書いてください"},
    "change_header": {
        "en": "change header needs 'base: PATH' naming the model it changes",
        "ja": "変更ファイルのヘッダには、変更するモデルを指す 'base: パス' が必要です",
    },
    "change_header.hint": {"en": "e.g. 'change: {{base: ../current}}'", "ja": "例: 'change: {{base: ../current}}'"},
    "change_header.unknown_field": {
        "en": "unknown field '{name}' in change header",
        "ja": "変更ファイルのヘッダに '{name}' という項目はありません",
    },
    "change_too_deep": {
        "en": "change files are based on each other too deeply (a cycle?)",
        "ja": "変更ファイルの base のつながりが深すぎます（循環していませんか？）",
    },
    "change_too_deep.hint": {"en": "check the 'base' chain", "ja": "'base' のつながりを確かめてください"},
    "no_base": {"en": "base model '{base}' does not exist", "ja": "基になるモデル '{base}' がありません"},
    "no_base.hint": {
        "en": "the path is relative to the change file",
        "ja": "パスは変更ファイルの場所から見た相対パスです",
    },
    "change_unknown_section": {
        "en": "unknown section '{section}' in a change file",
        "ja": "変更ファイルに '{section}' というセクションはありません",
    },
    "change_unknown_section.hint": {
        "en": "a change file has only change:, add:, modify: and remove:",
        "ja": "変更ファイルには change:、add:、modify:、remove: だけを書きます",
    },
    "change_part_not_mapping": {
        "en": "'{section}' must be a mapping of model sections",
        "ja": "'{section}' はモデルのセクションのマッピングでなければなりません",
    },
    "change_part_not_mapping.hint": {
        "en": "e.g. '{section}: {{assets: [...]}}'",
        "ja": "例: '{section}: {{assets: [...]}}'",
    },
    "unknown_model_section": {
        "en": "unknown model section '{section}'",
        "ja": "'{section}' というモデルのセクションはありません",
    },
    "unknown_model_section.hint": {
        "en": "name a model section such as assets or zones",
        "ja": "assets や zones のようなモデルのセクションを書いてください",
    },
    "remove_factory": {"en": "the factory section cannot be removed", "ja": "factory セクションは削除できません"},
    "remove_not_ids": {
        "en": "'remove.{section}' must be a list of ids",
        "ja": "'remove.{section}' は ID のリストでなければなりません",
    },
    "remove_absent": {
        "en": "cannot remove '{id}': not in the base model",
        "ja": "'{id}' は削除できません。基になるモデルにありません",
    },
    "remove_absent.hint": {"en": "no entry in {section} has this id", "ja": "{section} にこの ID の要素はありません"},
    "modify_not_mapping": {
        "en": "'modify.{section}' must be a mapping of fields",
        "ja": "'modify.{section}' は項目のマッピングでなければなりません",
    },
    "modify_not_list": {
        "en": "'modify.{section}' must be a list of entries with an id",
        "ja": "'modify.{section}' は id を持つ要素のリストでなければなりません",
    },
    "modify_no_id": {
        "en": "each modification needs the 'id' of the entry it changes",
        "ja": "変更ごとに、変更する要素の 'id' が必要です",
    },
    "modify_absent": {
        "en": "cannot modify '{id}': not in the base model",
        "ja": "'{id}' は変更できません。基になるモデルにありません",
    },
    "modify_absent.hint": {
        "en": "use 'add:' for a new entry in {section}",
        "ja": "{section} の新しい要素には 'add:' を使ってください",
    },
    "add_existing": {
        "en": "'{section}' already exists in the base model",
        "ja": "'{section}' は基になるモデルにすでにあります",
    },
    "add_existing.hint": {
        "en": "use 'modify: {{{section}: ...}}'",
        "ja": "'modify: {{{section}: ...}}' を使ってください",
    },
    "add_not_list": {"en": "'add.{section}' must be a list", "ja": "'add.{section}' はリストでなければなりません"},
    # checks of the whole model (references, placement, cycles, keys)
    "kind.zone": {"en": "zone", "ja": "ゾーン"},
    "kind.asset": {"en": "asset", "ja": "保護対象"},
    "kind.operation": {"en": "operation", "ja": "業務"},
    "kind.conduit": {"en": "conduit", "ja": "コンジット"},
    "kind.party": {"en": "party", "ja": "社外の関係者"},
    "kind.department": {"en": "department", "ja": "部門"},
    "unknown_reference": {"en": "unknown {kinds} '{value}'", "ja": "{kinds} '{value}' がありません"},
    "unknown_reference.single": {
        "en": "unknown {sections} id '{value}'",
        "ja": "{sections} に ID '{value}' がありません",
    },
    "define_under": {"en": "define it under {sections}", "ja": "{sections} に定義してください"},
    "unknown_catalog_id": {
        "en": "'{value}' is not a known {what} id in the catalog",
        "ja": "'{value}' はカタログの {section} にない ID です",
    },
    "see_catalog": {
        "en": "see 'factorysec catalog {section}' for the ids",
        "ja": "ID は 'factorysec catalog {section}' で確かめてください",
    },
    "duplicate_id": {
        "en": "duplicate id '{id}', already used in {first}",
        "ja": "ID '{id}' が重複しています（{first} で使われています）",
    },
    "duplicate_id.hint": {
        "en": "ids must be unique across the whole model",
        "ja": "ID はモデル全体で一意にしてください",
    },
    "no_zone": {"en": "asset '{id}' is in no zone", "ja": "保護対象 '{id}' がどのゾーンにも属していません"},
    "no_zone.hint": {
        "en": "add 'zone: ZONE-ID'; every protected object belongs to a zone (Step 1-6)",
        "ja": "'zone: ゾーンID' を追加してください。保護対象はすべていずれかのゾーンに属します（ステップ1-6）",
    },
    "data_attributes": {
        "en": "data attributes are only for assets of type 'data'",
        "ja": "データの属性は type が 'data' の保護対象にだけ書けます",
    },
    "data_attributes.hint": {
        "en": "remove 'data:' or set 'type: data'",
        "ja": "'data:' を削除するか、'type: data' にしてください",
    },
    "end_in_other_zone": {
        "en": "asset '{asset}' is in zone '{actual}', not in '{zone}'",
        "ja": "保護対象 '{asset}' はゾーン '{actual}' にあり、'{zone}' にはありません",
    },
    "end_in_other_zone.hint": {
        "en": "list only assets of zone '{zone}' in {field}",
        "ja": "{field} にはゾーン '{zone}' の保護対象だけを書いてください",
    },
    "not_data_asset": {"en": "'{asset}' is not a data asset", "ja": "'{asset}' はデータの保護対象ではありません"},
    "derived_from_not_data.hint": {
        "en": "list in derived_from the data assets (type: data) this data is made from",
        "ja": "derived_from には、このデータの元になるデータの保護対象（type: data）を書いてください",
    },
    "derived_from_itself": {
        "en": "data asset '{asset}' is listed as made from itself",
        "ja": "データの保護対象 '{asset}' が自分自身から作られるとされています",
    },
    "derived_from_itself.hint": {
        "en": "remove '{asset}' from derived_from; an empty list says it is made here from nothing else the model holds",
        "ja": "derived_from から '{asset}' を削除してください。空のリストは、モデル内のほかのデータから作られないことを表します",
    },
    "not_data_asset.hint": {
        "en": "list data assets (type: data) here; name devices under from_assets/to_assets",
        "ja": "ここにはデータの保護対象（type: data）を書いてください。機器は from_assets/to_assets に書きます",
    },
    "cycle.sub-zone": {"en": "sub-zone cycle: {loop}", "ja": "サブゾーンが循環しています: {loop}"},
    "cycle.subcontracting": {"en": "subcontracting cycle: {loop}", "ja": "委託関係が循環しています: {loop}"},
    "cycle.hint": {
        "en": "break the cycle by changing one '{field}'",
        "ja": "'{field}' のどれかを変えて循環を解いてください",
    },
    "key.stage_phase": {"en": "stage and phase", "ja": "段階とフェーズ（stage・phase）"},
    "key.area": {"en": "area", "ja": "領域（area）"},
    "key.subject_item": {"en": "subject and item", "ja": "対象と項目（subject・item）"},
    "key.subject_area": {"en": "subject and area", "ja": "対象と領域（subject・area）"},
    "duplicate_key": {
        "en": "another entry has the same {label} {key}",
        "ja": "{label}が {key} の要素がほかにもあります",
    },
    "duplicate_key.hint": {"en": "keep one entry per {label}", "ja": "{label}ごとに要素は一つにしてください"},
    "checklist_scope.asset": {
        "en": "checklist item '{item}' is on the {kind} checklist, which does not apply to asset '{subject}'"
        " (its checklists: {gets})",
        "ja": "チェックリスト項目 '{item}' は {kind} のチェックリストのもので、保護対象 '{subject}' には適用されません"
        "（適用されるチェックリスト: {gets}）",
    },
    "checklist_scope.party": {
        "en": "checklist item '{item}' is on the {kind} checklist, which does not apply to party '{subject}'"
        " (checklists of the assets it manages, supplies or maintains: {gets})",
        "ja": "チェックリスト項目 '{item}' は {kind} のチェックリストのもので、関係者 '{subject}' には適用されません"
        "（その関係者が運用・供給・保守する保護対象のチェックリスト: {gets}）",
    },
    "checklist_scope.none": {"en": "none", "ja": "なし"},
    "checklist_scope.hint": {
        "en": "answer it for a subject that gets that checklist (see 'factorysec checklist MODEL'), or remove the answer",
        "ja": "そのチェックリストが適用される対象について回答するか（'factorysec checklist MODEL' を参照）、"
        "回答を削除してください",
    },
    "separation.needless": {
        "en": "asset '{id}' is neither an external service nor run by a party, so it needs no separation exception",
        "ja": "保護対象 '{id}' は外部サービスでも社外の関係者が運用するものでもないため、分離の例外は要りません",
    },
    "separation.needless.hint": {
        "en": "remove 'separation_exception', or set 'type: external-service' or 'managed_by: PARTY-ID'"
        " (Annex A case (ii))",
        "ja": "'separation_exception' を削除するか、'type: external-service' または 'managed_by: 関係者ID'"
        " を設定してください（付録A のケース (ii)）",
    },
    "data_separation.on_data": {
        "en": "asset '{id}' is data, which holds no other data, so it cannot keep rights holders' data apart",
        "ja": "保護対象 '{id}' はデータで、ほかのデータを保持しないため、権利者ごとのデータを分けることはできません",
    },
    "data_separation.on_data.hint": {
        "en": "give 'data_separation' on the asset that stores or processes the data (a server, a station, a portal)",
        "ja": "'data_separation' は、そのデータを保存・処理する保護対象（サーバ、端末、ポータル）に設定してください",
    },
    "separation.no_contract": {
        "en": "'contract-measures' needs the contract that includes the measures, but asset '{id}' names no party"
        " with a 'contract'",
        "ja": "'contract-measures' には対策を含む契約が必要ですが、保護対象 '{id}' は 'contract' を持つ関係者を"
        "指していません",
    },
    "parts.no_standard": {
        "en": "requirement '{id}' names parts but no standard they are parts of",
        "ja": "要求事項 '{id}' は制度（parts）を挙げていますが、それを含む規格・法令（standard）がありません",
    },
    "parts.no_standard.hint": {
        "en": "set 'standard' to the law or standard they are parts of, or remove 'parts'",
        "ja": "'standard' にその制度を含む規格・法令を書くか、'parts' を削除してください",
    },
    "parts.not_split": {
        "en": "requirement '{id}' names parts, but the catalog does not split standard '{standard}' into parts",
        "ja": "要求事項 '{id}' は制度（parts）を挙げていますが、カタログは規格・法令 '{standard}' を制度に分けていません",
    },
    "parts.not_split.hint": {
        "en": "remove 'parts'; 'factorysec catalog standard-parts' lists the standards split into parts",
        "ja": "'parts' を削除してください。制度に分かれた規格・法令は 'factorysec catalog standard-parts' にあります",
    },
    "parts.unknown": {
        "en": "'{value}' is not a part of standard '{standard}' (its parts: {known})",
        "ja": "'{value}' は規格・法令 '{standard}' の制度ではありません（その制度: {known}）",
    },
    "not_procured.no_owner": {
        "en": "asset '{id}' is not procured by the factory ('procured: false'), but names no party that owns it",
        "ja": "保護対象 '{id}' は工場が調達したものではない（'procured: false'）とされていますが、所有する事業者を"
        "指していません",
    },
    "not_procured.no_owner.hint": {
        "en": "name the outside party that put it in, in 'supplier' or 'managed_by', or remove 'procured: false' if"
        " the factory bought or specified it",
        "ja": "設置した社外の事業者を 'supplier' または 'managed_by' に書くか、工場が購入・指定したものなら"
        " 'procured: false' を削除してください",
    },
    "separation.no_contract.hint": {
        "en": "set 'managed_by: PARTY-ID' and give that party 'contract: REFERENCE' (the contract or terms that"
        " settle the measures)",
        "ja": "'managed_by: 関係者ID' を設定し、その関係者に 'contract: 参照' （対策を定める契約や利用規約）を"
        "書いてください",
    },
    "hard_wired.addresses": {
        "en": "asset '{id}' is hard-wired, so no network reaches it, but it has IP addresses",
        "ja": "保護対象 '{id}' は hard-wired（配線のみ）でどのネットワークからも届かないはずですが、IPアドレスがあります",
    },
    "hard_wired.addresses.hint": {
        "en": "remove 'addresses', or remove the trait 'hard-wired' if the device has a network interface",
        "ja": "'addresses' を削除するか、機器にネットワークインタフェースがあるなら特性 'hard-wired' を削除してください",
    },
    "hard_wired.trait": {
        "en": "asset '{id}' is hard-wired, so no network reaches it, but it is also '{trait}' ({what})",
        "ja": "保護対象 '{id}' は hard-wired（配線のみ）でどのネットワークからも届かないはずですが、'{trait}'（{what}）"
        "でもあります",
    },
    "hard_wired.trait.hint": {
        "en": "remove '{trait}', or remove 'hard-wired' if the device has a network interface",
        "ja": "'{trait}' を削除するか、機器にネットワークインタフェースがあるなら 'hard-wired' を削除してください",
    },
    "hard_wired.external_service": {
        "en": "asset '{id}' is an external service, which the factory reaches only over a network, so it cannot be"
        " hard-wired",
        "ja": "保護対象 '{id}' は外部サービスで、工場からはネットワーク経由でしか届かないため、hard-wired（配線のみ）"
        "にはなりません",
    },
    "hard_wired.external_service.hint": {
        "en": "remove 'hard-wired'",
        "ja": "'hard-wired' を削除してください",
    },
    "hard_wired.what.wireless": {"en": "it talks over a wireless network", "ja": "無線ネットワークで通信する"},
    "hard_wired.what.remote_access": {
        "en": "it is reached remotely over an external network",
        "ja": "外部ネットワーク経由で遠隔から接続される",
    },
    "hard_wired.what.cloud": {
        "en": "it runs as or on a cloud service",
        "ja": "クラウドサービスとして、またはその上で動く",
    },
    "hard_wired.what.boundary_device": {
        "en": "it filters network traffic on a zone boundary",
        "ja": "ゾーン境界でネットワークの通信を制限する",
    },
    "diode_two_way": {
        "en": "'{asset}' is a data diode, which lets traffic through one way only, but the conduit's direction is"
        " two-way",
        "ja": "'{asset}' はデータダイオードで通信を一方向にしか通しませんが、コンジットの direction が two-way です",
    },
    "diode_two_way.hint": {
        "en": "set 'direction: one-way' with 'from' on the diode's sending side, or draw the way back as its own"
        " conduit that does not pass the diode",
        "ja": "'direction: one-way' にして 'from' をダイオードの送信側にするか、戻りの流れをダイオードを通らない"
        "別のコンジットとして書いてください",
    },
    "instructions_from.no_control": {
        "en": "conduit '{id}' says its control instructions are issued at its '{end}' end, but it carries none"
        " ('carries_control_instructions' is false)",
        "ja": "コンジット '{id}' は制御指示を '{end}' の端が出すとしていますが、制御指示を運びません"
        "（'carries_control_instructions' が false です）",
    },
    "instructions_from.no_control.hint": {
        "en": "set 'carries_control_instructions: true' if control instructions do cross it, or remove"
        " 'instructions_from'",
        "ja": "制御指示が実際に通るなら 'carries_control_instructions: true' にし、通らないなら 'instructions_from' を"
        "削除してください",
    },
    "instructions_from.one_way": {
        "en": "conduit '{id}' is one-way, from 'from' to 'to', so its 'to' end cannot send it control instructions",
        "ja": "コンジット '{id}' は 'from' から 'to' への一方向のため、'to' の端から制御指示を送れません",
    },
    "instructions_from.one_way.hint": {
        "en": "set 'direction: two-way' if the 'to' end answers over it, or swap 'from' and 'to' and remove"
        " 'instructions_from'",
        "ja": "'to' の端がこのコンジットで応答するなら 'direction: two-way' にし、そうでなければ 'from' と 'to' を"
        "入れ替えて 'instructions_from' を削除してください",
    },
}
