"""Table tests for lip-reading-aware answer checking."""

from __future__ import annotations

import json

import pytest

from learning.checking import (
    ANSWER_EMPTY,
    ANSWER_NOTHING_TO_CHECK,
    ANSWER_TOO_LONG,
    INPUT_EMPTY,
    INPUT_NOT_TEXT,
    INPUT_TOO_LONG,
    MAX_LENGTH,
    UNSUPPORTED_LANGUAGE,
    CheckError,
    check_answer,
    english,
    korean,
    normalize_text,
)


def words(result) -> list[tuple[str, str, str | None]]:
    return [(w.text, w.status, w.input) for w in result.words]


# --- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("안녕하세요!", "안녕하세요"),
        ("좋아요 👍", "좋아요"),
        ("좋아요 👍🏽", "좋아요"),
        ("❤️ 사랑해", "사랑해"),
        ("가족 👨‍👩‍👧 사진", "가족 사진"),
        ("3️⃣ 번", "3 번"),
        ("Hello, World!", "hello world"),
        ("ＨＥＬＬＯ　ｗｏｒｌｄ", "hello world"),
        ("ﬁne", "fine"),
        ("  a \t\n  b  ", "a b"),
        ("Straße", "strasse"),
        ("$100 + 5% = ?", "100 5"),
        ("«인용» ‘따옴표’", "인용 따옴표"),
    ],
)
def test_normalize_removes_punctuation_symbols_case_and_extra_space(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_composes_conjoining_jamo_into_syllables():
    assert normalize_text("\u1107\u1161\u11b8") == "밥"


# --- Korean ----------------------------------------------------------------------------


def test_korean_punctuation_does_not_cost():
    result = check_answer(input="안녕하세요!", answer="안녕하세요", language="ko")
    assert (result.score, result.lip_score) == (100, 100)
    assert words(result) == [("안녕하세요", "correct", "안녕하세요")]


def test_korean_missing_space_costs_nothing_but_is_reported():
    result = check_answer(input="밥먹었어요", answer="밥 먹었어요", language="ko")
    assert (result.score, result.lip_score) == (100, 100)
    assert result.spacing_differs is True
    assert words(result) == [("밥", "correct", "밥"), ("먹었어요", "correct", "먹었어요")]


def test_korean_extra_space_inside_a_word_costs_nothing():
    result = check_answer(input="밥 먹 었어요", answer="밥 먹었어요", language="ko")
    assert result.score == 100
    assert result.spacing_differs is True
    assert words(result)[1] == ("먹었어요", "correct", "먹 었어요")


def test_korean_spacing_is_reported_next_to_a_misread_syllable():
    result = check_answer(input="맙먹어써요", answer="밥 먹었어요", language="ko")
    assert result.spacing_differs is True


def test_korean_extra_word_is_not_a_spacing_difference():
    result = check_answer(input="밥 정말 먹었어요", answer="밥 먹었어요", language="ko")
    assert result.spacing_differs is False


def test_korean_same_spacing_is_not_reported():
    result = check_answer(input="밥 먹었어", answer="밥 먹었어요", language="ko")
    assert result.spacing_differs is False


def test_korean_look_alike_initial_is_lip_equivalent():
    result = check_answer(input="맙", answer="밥", language="ko")
    assert result.score < 100
    assert result.lip_score == 100
    assert words(result) == [("밥", "lip_equivalent", "맙")]


def test_korean_different_final_is_wrong():
    result = check_answer(input="방", answer="밥", language="ko")
    assert result.score < 100
    assert result.lip_score < 100
    assert words(result) == [("밥", "wrong", "방")]


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("달", "탈"),  # ㄷ/ㅌ initial
        ("사", "차"),  # ㅅ/ㅊ initial
        ("짜", "사"),  # ㅉ joins ㅅㅆㅈㅊ
        ("가", "하"),  # ㄱ/ㅎ initial
        ("기", "그"),  # ㅣ/ㅡ vowel
        ("개", "게"),  # ㅐ/ㅔ vowel
        ("얘", "에"),  # ㅒ joins ㅐㅔㅖ
        ("뭐", "뫄"),  # ㅝ joins ㅘㅚㅙ
        ("웨", "외"),  # ㅞ joins ㅘㅚㅙ
        ("각", "강"),  # final ㄱ/ㅇ
        ("낫", "낟"),  # final ㅅ pronounced ㄷ
        ("낮", "난"),  # final ㅈ pronounced ㄷ, same group as ㄴ
        ("삶", "삼"),  # cluster ㄻ pronounced ㅁ
        ("값", "갑"),  # cluster ㅄ pronounced ㅂ
        ("닭", "닥"),  # cluster ㄺ pronounced ㄱ
        ("앞", "압"),  # final ㅍ pronounced ㅂ
    ],
)
def test_korean_syllables_in_one_viseme_group_are_lip_equivalent(said, read):
    assert korean.lip_equivalent(said, read)
    result = check_answer(input=read, answer=said, language="ko")
    assert result.lip_score == 100
    assert words(result) == [(said, "lip_equivalent", read)]


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("바", "아"),  # silent ㅇ initial is its own group
        ("라", "나"),  # ㄹ is its own group
        ("가", "거"),  # ㅏ/ㅓ
        ("구", "고"),  # ㅜ/ㅗ
        ("귀", "기"),  # ㅟ alone
        ("가", "각"),  # no final vs final
        ("달", "단"),  # ㄹ final alone
    ],
)
def test_korean_syllables_in_different_groups_are_not_lip_equivalent(said, read):
    assert not korean.lip_equivalent(said, read)
    result = check_answer(input=read, answer=said, language="ko")
    assert result.lip_score < 100
    assert words(result) == [(said, "wrong", read)]


def test_korean_decompose_splits_syllables_and_ignores_other_characters():
    assert korean.decompose("밥") == ("ㅂ", "ㅏ", "ㅂ")
    assert korean.decompose("가") == ("ㄱ", "ㅏ", "")
    assert korean.decompose("힣") == ("ㅎ", "ㅣ", "ㅎ")
    assert korean.decompose("a") is None
    assert korean.decompose("ㅋ") is None


def test_korean_missing_word_is_reported_in_answer_order():
    result = check_answer(input="먹었어요", answer="밥 먹었어요", language="ko")
    assert words(result) == [("밥", "missing", None), ("먹었어요", "correct", "먹었어요")]
    assert result.score == 80


def test_korean_extra_word_is_reported_where_it_was_typed():
    result = check_answer(input="밥 정말 먹었어요", answer="밥 먹었어요", language="ko")
    assert words(result) == [
        ("밥", "correct", "밥"),
        ("정말", "extra", "정말"),
        ("먹었어요", "correct", "먹었어요"),
    ]
    assert result.score < 100


def test_korean_extra_particle_makes_its_word_wrong():
    result = check_answer(input="밥을 먹었어요", answer="밥 먹었어요", language="ko")
    assert words(result) == [("밥", "wrong", "밥을"), ("먹었어요", "correct", "먹었어요")]


def test_korean_deleted_syllable_inside_word_is_wrong():
    result = check_answer(input="밥 먹어요", answer="밥 먹었어요", language="ko")
    assert words(result)[1] == ("먹었어요", "wrong", "먹어요")


def test_korean_mixed_word_statuses():
    result = check_answer(input="맙 머겄어요 네", answer="밥 먹었어요", language="ko")
    assert words(result) == [
        ("밥", "lip_equivalent", "맙"),
        ("먹었어요", "wrong", "머겄어요"),
        ("네", "extra", "네"),
    ]


def test_korean_digit_against_spelled_number_does_not_crash_and_is_wrong():
    result = check_answer(input="3", answer="삼", language="ko")
    assert (result.score, result.lip_score) == (0, 0)
    assert words(result) == [("삼", "wrong", "3")]


def test_korean_digits_typed_as_in_answer_are_correct():
    result = check_answer(input="3시에 만나요", answer="3시에 만나요.", language="ko")
    assert result.score == 100


def test_korean_emoji_is_ignored():
    result = check_answer(input="좋아요 👍", answer="좋아요", language="ko")
    assert (result.score, result.lip_score) == (100, 100)
    assert result.input_normalized == "좋아요"


# --- English ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "read"),
    [("pat", "bat"), ("bat", "mat"), ("mat", "pat"), ("fan", "van"), ("two", "do")],
)
def test_english_words_with_same_lip_shapes_are_lip_equivalent(said, read):
    assert english.lip_equivalent(said, read)
    result = check_answer(input=read, answer=said, language="en")
    assert result.score < 100
    assert result.lip_score == 100
    assert words(result) == [(said, "lip_equivalent", read)]


@pytest.mark.parametrize(("said", "read"), [("bat", "cat"), ("fan", "fin"), ("see", "she")])
def test_english_words_with_different_lip_shapes_are_wrong(said, read):
    assert not english.lip_equivalent(said, read)
    result = check_answer(input=read, answer=said, language="en")
    assert result.lip_score == result.score < 100
    assert words(result) == [(said, "wrong", read)]


def test_english_sentence_with_look_alike_word():
    result = check_answer(input="I see a bat", answer="I see a mat", language="en")
    assert result.score == 90  # one of 11 characters differs, rounded down
    assert result.lip_score == 100
    assert [w.status for w in result.words] == ["correct", "correct", "correct", "lip_equivalent"]


def test_english_missing_and_extra_words():
    result = check_answer(input="I see bat now", answer="I see a bat", language="en")
    assert words(result) == [
        ("i", "correct", "i"),
        ("see", "correct", "see"),
        ("a", "missing", None),
        ("bat", "correct", "bat"),
        ("now", "extra", "now"),
    ]


def test_english_case_does_not_cost():
    result = check_answer(input="Hello", answer="hello", language="en")
    assert (result.score, result.lip_score) == (100, 100)


def test_english_full_width_letters_are_normalised():
    result = check_answer(input="ＨＥＬＬＯ", answer="hello", language="en")
    assert result.score == 100
    assert result.input_normalized == "hello"


def test_english_apostrophes_are_dropped_on_both_sides():
    result = check_answer(input="dont", answer="Don't!", language="en")
    assert result.score == 100


def test_english_spacing_costs_but_is_reported():
    result = check_answer(input="every day", answer="everyday", language="en")
    assert result.score < 100
    assert result.spacing_differs is True


def test_english_unknown_words_use_letter_rules():
    assert english.word_shapes("blorp") == english.word_shapes("plorp")
    result = check_answer(input="plorp", answer="blorp", language="en")
    assert words(result) == [("blorp", "lip_equivalent", "plorp")]


def test_english_number_against_word_does_not_crash_and_is_wrong():
    result = check_answer(input="3 cats", answer="three cats", language="en")
    assert words(result)[0] == ("three", "wrong", "3")


def test_input_of_only_punctuation_scores_zero_and_misses_every_word():
    result = check_answer(input="?! 👍", answer="I see", language="en")
    assert (result.score, result.lip_score) == (0, 0)
    assert words(result) == [("i", "missing", None), ("see", "missing", None)]
    assert result.diff == [(1, "i see")]


# --- diff and output shape ---------------------------------------------------------------


def test_diff_runs_from_input_to_answer():
    result = check_answer(input="I saw a cat", answer="I saw the cat", language="en")
    deleted = "".join(text for op, text in result.diff if op == -1)
    inserted = "".join(text for op, text in result.diff if op == 1)
    kept = "".join(text for op, text in result.diff if op == 0)
    assert deleted == "a"  # typed, not in the answer
    assert inserted == "the"  # in the answer, not typed
    assert "".join(text for op, text in result.diff if op != 1) == result.input_normalized
    assert "".join(text for op, text in result.diff if op != -1) == result.answer_normalized
    assert kept.startswith("i saw ")


def test_to_dict_is_json_ready():
    data = check_answer(input="밥먹었어!", answer="밥 먹었어요", language="ko").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data) == {
        "diff",
        "score",
        "lip_score",
        "words",
        "input_normalized",
        "answer_normalized",
        "spacing_differs",
    }
    assert all(isinstance(op, list) and len(op) == 2 for op in data["diff"])
    assert data["words"][1] == {"text": "먹었어요", "status": "wrong", "input": "먹었어"}
    assert data["input_normalized"] == "밥먹었어"


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message", "field"),
    [
        ({"input": "", "answer": "a", "language": "en"}, INPUT_EMPTY, "input"),
        ({"input": "   ", "answer": "a", "language": "en"}, INPUT_EMPTY, "input"),
        (
            {"input": "a" * (MAX_LENGTH + 1), "answer": "a", "language": "en"},
            INPUT_TOO_LONG,
            "input",
        ),
        ({"input": None, "answer": "a", "language": "en"}, INPUT_NOT_TEXT, "input"),
        ({"input": "a", "answer": "", "language": "en"}, ANSWER_EMPTY, "answer"),
        (
            {"input": "a", "answer": "가" * (MAX_LENGTH + 1), "language": "ko"},
            ANSWER_TOO_LONG,
            "answer",
        ),
        ({"input": "a", "answer": "?!👍", "language": "en"}, ANSWER_NOTHING_TO_CHECK, "answer"),
        ({"input": "a", "answer": "a", "language": "ja"}, UNSUPPORTED_LANGUAGE, "language"),
        ({"input": "a", "answer": "a", "language": "EN"}, UNSUPPORTED_LANGUAGE, "language"),
    ],
)
def test_bad_arguments_raise_check_error_naming_the_field(kwargs, message, field):
    with pytest.raises(CheckError) as raised:
        check_answer(**kwargs)
    assert raised.value.message == message
    assert raised.value.field == field
    assert isinstance(raised.value, ValueError)


def test_length_limit_applies_after_stripping():
    padded = "  " + "a" * MAX_LENGTH + "  "
    result = check_answer(input=padded, answer=padded, language="en")
    assert result.score == 100


def test_long_texts_are_checked():
    said = " ".join(["밥 먹었어요"] * 50)[:MAX_LENGTH]
    read = said.replace("밥", "맙")
    result = check_answer(input=read, answer=said, language="ko")
    assert result.lip_score == 100
    assert result.score < 100


def test_one_typo_in_the_longest_text_still_scores_below_100():
    said = "a" * MAX_LENGTH
    result = check_answer(input="b" + said[1:], answer=said, language="en")
    assert result.score == 99
