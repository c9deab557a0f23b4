"""Property tests: the score invariants hold for any text, not only the table cases."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from learning.checking import check_answer, normalize_text

# A few dozen syllables so that random pairs often share or nearly share letters,
# plus the whole Hangul block for breadth.
_NEAR_SYLLABLES = "밥맙방바빠파마가까카하나다타라사자차아이으우오어에애와의"
_SYLLABLES = st.one_of(
    st.sampled_from(_NEAR_SYLLABLES),
    st.integers(0xAC00, 0xD7A3).map(chr),
)
_PUNCTUATION = st.sampled_from(list(" ,.!?'\"-…·~()👍❤️ "))
_LATIN = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))

korean_text = st.text(st.one_of(_SYLLABLES, _PUNCTUATION, st.sampled_from("0123")), max_size=30)
english_words = st.sampled_from(["pat", "bat", "mat", "fan", "van", "see", "a", "i", "cat"])
english_text = st.one_of(
    st.text(st.one_of(_LATIN, _PUNCTUATION), max_size=30),
    st.lists(english_words, max_size=8).map(" ".join),
)
texts = st.one_of(
    st.tuples(st.just("ko"), korean_text, korean_text),
    st.tuples(st.just("en"), english_text, english_text),
)


def _checkable(text: str) -> bool:
    return bool(text.strip()) and len(text.strip()) <= 300 and bool(normalize_text(text))


def _compared(text: str, language: str) -> str:
    normalized = normalize_text(text)
    return normalized.replace(" ", "") if language == "ko" else normalized


@settings(max_examples=200, deadline=None)
@given(texts)
def test_scores_are_bounded_and_lip_score_never_below_score(case):
    language, typed, answer = case
    assume(_checkable(answer) and typed.strip())
    result = check_answer(input=typed, answer=answer, language=language)
    assert 0 <= result.score <= result.lip_score <= 100


@settings(max_examples=200, deadline=None)
@given(texts)
def test_score_is_100_exactly_when_compared_texts_are_equal(case):
    language, typed, answer = case
    assume(_checkable(answer) and typed.strip())
    result = check_answer(input=typed, answer=answer, language=language)
    equal = _compared(typed, language) == _compared(answer, language)
    assert (result.score == 100) == equal


@settings(max_examples=200, deadline=None)
@given(texts)
def test_text_checked_against_itself_is_fully_correct(case):
    language, _, answer = case
    assume(_checkable(answer))
    result = check_answer(input=answer, answer=answer, language=language)
    assert (result.score, result.lip_score) == (100, 100)
    assert result.spacing_differs is False
    assert result.words
    assert all(word.status == "correct" for word in result.words)
    assert [word.text for word in result.words] == result.answer_normalized.split(" ")


@settings(max_examples=200, deadline=None)
@given(texts)
def test_every_answer_word_is_reported_once_in_order(case):
    language, typed, answer = case
    assume(_checkable(answer) and typed.strip())
    result = check_answer(input=typed, answer=answer, language=language)
    reported = [word.text for word in result.words if word.status != "extra"]
    assert reported == result.answer_normalized.split(" ")
    extras = [word for word in result.words if word.status == "extra"]
    assert all(word.input == word.text for word in extras)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_diff_reassembles_both_normalised_texts(case):
    language, typed, answer = case
    assume(_checkable(answer) and typed.strip())
    result = check_answer(input=typed, answer=answer, language=language)
    assert "".join(text for op, text in result.diff if op != 1) == result.input_normalized
    assert "".join(text for op, text in result.diff if op != -1) == result.answer_normalized
