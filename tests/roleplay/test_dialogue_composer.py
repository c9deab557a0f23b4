"""Offline composer, validation rules and the Korean grammar they rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.dialogue import (
    Dialogue,
    DialogueError,
    DialogueLine,
    DialogueRequest,
    InvalidDialogueRequest,
    OfflineComposer,
    RoleSpec,
    compose_dialogue,
    validate_dialogue,
)
from roleplay.dialogue.composer import rename_roles
from roleplay.dialogue.korean import polite, with_particle
from roleplay.dialogue.validate import count_emoji, must_word_in_text

KO_ROLES = (RoleSpec("손님"), RoleSpec("직원"))
EN_ROLES = (RoleSpec("Customer"), RoleSpec("Server"))


def scene(key: str, language: str, title: str, description: str, roles, texts, emoji="☕"):
    return {
        "key": key,
        "language": language,
        "title": title,
        "description": description,
        "emoji": emoji,
        "roles": [{"name": n, "description": "", "voice": "woman"} for n in roles],
        "lines": [{"role": i % 2, "text": t} for i, t in enumerate(texts)],
    }


FIXTURE = {
    "restaurant": [
        scene(
            "restaurant-ko-1",
            "ko",
            "카페에서 커피 주문하기",
            "카페에서 커피와 빵을 주문해요.",
            ["직원", "손님"],
            [
                "어서 오세요. 주문하시겠어요?",
                "아메리카노 한 잔 주세요.",
                "따뜻한 걸로 드릴까요?",
                "네, 따뜻하게 주세요.",
                "손님, 여기 있습니다.",
                "감사합니다.",
            ],
        ),
        scene(
            "restaurant-en-1",
            "en",
            "Ordering coffee at a café",
            "A customer orders a latte at the counter.",
            ["Server", "Customer"],
            [
                "Hi! What can I get you?",
                "A small latte, please.",
                "For here or to go?",
                "To go, please.",
                "That is four dollars.",
                "Here you are. Thanks!",
            ],
        ),
    ],
    "bank": [
        scene(
            "bank-ko-1",
            "ko",
            "은행에서 통장 만들기",
            "은행 창구에서 새 통장을 만들어요.",
            ["은행원", "손님"],
            [
                "어서 오세요. 무엇을 도와드릴까요?",
                "통장을 만들고 싶어요.",
                "신분증 있으세요?",
                "네, 여기 있어요.",
                "비밀번호를 눌러 주세요.",
                "네, 다 했어요.",
                "통장 나왔습니다.",
                "감사합니다.",
            ],
            emoji="🏦",
        ),
        scene(
            "bank-en-1",
            "en",
            "Opening a bank account",
            "A customer opens a savings account with a teller.",
            ["Teller", "Customer"],
            [
                "Good morning. How can I help?",
                "I would like to open an account.",
                "Do you have your ID?",
                "Yes, here it is.",
                "Please sign here.",
                "Done. Thank you.",
            ],
            emoji="🏦",
        ),
    ],
}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    (tmp_path / "roleplays").mkdir()
    (tmp_path / "categories.json").write_text(
        json.dumps([{"slug": "restaurant", "name_ko": "음식점", "name_en": "Restaurant"}])
    )
    for slug, scenes in FIXTURE.items():
        path = tmp_path / "roleplays" / f"{slug}.json"
        path.write_text(json.dumps(scenes, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def ko_request(
    *words: str, title="카페에서 커피 주문하기", description="카페에서 커피를 사요.", roles=KO_ROLES
):
    return DialogueRequest(title, description, "ko", roles, tuple(words))


def en_request(*words: str, title="Ordering coffee at a café", description="Buying a latte."):
    return DialogueRequest(title, description, "en", EN_ROLES, tuple(words))


def lines_alternate(d: Dialogue) -> bool:
    return all(a.role != b.role for a, b in zip(d.lines, d.lines[1:], strict=False))


# --- Korean grammar -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("먹다", "먹어요"),
        ("가다", "가요"),
        ("하다", "해요"),
        ("공부하다", "공부해요"),
        ("마시다", "마셔요"),
        ("오다", "와요"),
        ("배우다", "배워요"),
        ("되다", "돼요"),
        ("좋다", "좋아요"),
        ("춥다", "추워요"),
        ("입다", "입어요"),
        ("돕다", "도와요"),
        ("듣다", "들어요"),
        ("모르다", "몰라요"),
        ("부르다", "불러요"),
        ("예쁘다", "예뻐요"),
        ("바쁘다", "바빠요"),
        ("쓰다", "써요"),
        ("하얗다", "하얘요"),
        ("기다리다", "기다려요"),
    ],
)
def test_polite_form_follows_korean_conjugation(word, expected):
    assert polite(word) == expected


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("우산", "을/를", "우산을"),
        ("커피", "을/를", "커피를"),
        ("빵", "와/과", "빵과"),
        ("우유", "와/과", "우유와"),
        ("책", "은/는", "책은"),
        ("서울", "으로/로", "서울로"),
        ("집", "으로/로", "집으로"),
        ("KTX", "이/가", "KTX가"),
        ("ATM", "이/가", "ATM이"),
    ],
)
def test_particle_agrees_with_final_consonant(word, pair, expected):
    assert with_particle(word, pair) == expected


def test_polite_form_rejects_a_noun():
    with pytest.raises(ValueError, match="not a verb"):
        polite("바다")


# --- validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "text", "found"),
    [
        ("우산", "우산을 가져왔어요.", True),
        ("먹다", "같이 먹어요.", True),
        ("마시다", "어제 커피를 마셨어요.", True),
        ("공부하다", "오늘은 공부해요.", True),
        ("가다", "지금 갑니다.", True),
        ("우산", "우유를 주세요.", False),
        ("먹다", "마셔요.", False),
    ],
)
def test_korean_must_word_allows_particles_and_endings(word, text, found):
    assert must_word_in_text(word, text, "ko") is found


@pytest.mark.parametrize(
    ("word", "text", "found"),
    [
        ("book", "I booked a table.", True),
        ("book", "Two Books, please.", True),
        ("bake", "We are baking bread.", True),
        ("stop", "The bus stopped.", True),
        ("carry", "She carries it.", True),
        ("ice cream", "Two ice creams!", True),
        ("cat", "Which category?", False),
    ],
)
def test_english_must_word_allows_simple_inflections(word, text, found):
    assert must_word_in_text(word, text, "en") is found


@pytest.mark.parametrize(
    ("text", "count"),
    [("☕", 1), ("🍽️", 1), ("👩‍🍳", 1), ("🇰🇷", 1), ("1️⃣", 1), ("☕🍰", 2), ("cafe", None), ("", 0)],
)
def test_emoji_count_treats_sequences_as_one(text, count):
    assert count_emoji(text) == count


def good_ko_dialogue() -> Dialogue:
    texts = [
        "안녕하세요.",
        "우산을 찾아요.",
        "여기 있어요.",
        "같이 먹어요.",
        "좋아요.",
        "감사합니다.",
    ]
    return Dialogue("☕", [DialogueLine(i % 2, t) for i, t in enumerate(texts)])


def test_validate_accepts_a_good_dialogue():
    assert validate_dialogue(good_ko_dialogue(), ko_request("우산", "먹다")) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.lines.pop(), "5 lines"),
        (lambda d: d.lines.extend(d.lines[:5]), "11 lines"),
        (lambda d: d.lines.__setitem__(0, DialogueLine(2, "네.")), "role 2"),
        (lambda d: d.lines.__setitem__(0, DialogueLine(0, "  ")), "Line 1 is empty"),
        (lambda d: d.lines.__setitem__(2, DialogueLine(0, "가" * 61)), "Line 3 is too long"),
        (lambda d: d.lines.__setitem__(2, DialogueLine(0, "Hello there.")), "not written in"),
        (lambda d: setattr(d, "lines", [DialogueLine(0, ln.text) for ln in d.lines]), "Both"),
        (lambda d: d.lines.__setitem__(1, DialogueLine(1, "가방을 찾아요.")), "'우산'"),
        (lambda d: setattr(d, "emoji", "☕🍰"), "exactly one emoji"),
    ],
)
def test_validate_reports_each_problem(change, problem):
    dialogue = good_ko_dialogue()
    change(dialogue)

    problems = validate_dialogue(dialogue, ko_request("우산", "먹다"))

    assert any(problem in p for p in problems), problems


def test_validate_limits_english_lines_to_fifteen_words():
    texts = ["Hi.", "Hello.", "One two three four five six seven eight nine ten a b c d e f."]
    dialogue = Dialogue("☕", [DialogueLine(i % 2, t) for i, t in enumerate(texts * 2)])

    assert any("16 words" in p for p in validate_dialogue(dialogue, en_request()))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"language": "ja"},
        {"must_words": tuple(f"w{i}" for i in range(11))},
        {"must_words": ("Menu", "menu")},
        {"must_words": ("",)},
        {"title": " "},
        {"roles": (RoleSpec("A"),)},
    ],
)
def test_bad_request_is_rejected(kwargs):
    fields = {"title": "t", "description": "", "language": "en", "roles": EN_ROLES, **kwargs}
    with pytest.raises(InvalidDialogueRequest):
        DialogueRequest(**fields)


# --- offline composer over a fixture library ----------------------------------------


def test_composer_picks_the_closest_scenario_in_the_same_language(library):
    composer = OfflineComposer(library)

    assert composer.choose_scenario(ko_request(title="은행 통장", description="")).key == (
        "bank-ko-1"
    )
    assert composer.choose_scenario(en_request(title="Open an account")).key == "bank-en-1"
    assert composer.choose_scenario(en_request()).key == "restaurant-en-1"


def test_composer_without_words_keeps_the_scenario_and_its_emoji(library):
    dialogue = OfflineComposer(library).compose(
        ko_request(title="은행 통장", description="", roles=(RoleSpec("은행원"), RoleSpec("손님")))
    )

    assert dialogue.emoji == "🏦"
    assert [ln.text for ln in dialogue.lines] == [ln["text"] for ln in FIXTURE["bank"][0]["lines"]]


def test_korean_must_words_get_particles_and_conjugation(library):
    req = ko_request("우산", "커피잔", "마시다", "공부하다", "춥다")

    dialogue = compose_dialogue(req, backend=OfflineComposer(library))
    text = " ".join(ln.text for ln in dialogue.lines)

    assert validate_dialogue(dialogue, req) == []
    assert lines_alternate(dialogue)
    assert any(f"우산{p}" in text for p in ("을", "은", "이", "과"))
    assert not any(f"우산{p} " in text for p in ("를", "는", "가", "와"))
    assert any(f"커피잔{p}" in text for p in ("을", "은", "이", "과"))
    assert "마셔요" in text or "마시고" in text
    assert "공부해요" in text or "공부하고" in text
    assert "추워요" in text or "춥고" in text


def test_english_must_words_each_appear(library):
    words = ("umbrella", "eat", "tired", "quickly", "receipt")
    req = en_request(*words)

    dialogue = OfflineComposer(library).compose(req)

    assert validate_dialogue(dialogue, req) == []
    assert lines_alternate(dialogue)
    for word in words:
        assert any(word in ln.text for ln in dialogue.lines), word


def test_ten_must_words_fit_in_ten_lines(library):
    words = ("우산", "가방", "지갑", "열쇠", "휴대폰", "먹다", "마시다", "가다", "춥다", "덥다")
    req = ko_request(*words)

    dialogue = OfflineComposer(library).compose(req)

    assert 6 <= len(dialogue.lines) <= 10
    assert all(len(ln.text) <= 60 for ln in dialogue.lines)
    assert validate_dialogue(dialogue, req) == []
    assert lines_alternate(dialogue)


def test_composer_is_deterministic(library):
    req = en_request("menu", "cheap", "drink", "tickets")

    first = OfflineComposer(library).compose(req)
    second = OfflineComposer(library).compose(req)

    assert first == second


def test_requested_roles_speak_the_matching_library_lines(library):
    req = ko_request(roles=(RoleSpec("손님", "카페 손님"), RoleSpec("직원", "카페 직원")))

    dialogue = OfflineComposer(library).compose(req)

    assert dialogue.lines[0] == DialogueLine(1, "어서 오세요. 주문하시겠어요?")
    assert dialogue.lines[1].role == 0


def test_library_role_names_in_lines_become_the_requested_names(library):
    req = ko_request(roles=(RoleSpec("바리스타"), RoleSpec("민지")))

    dialogue = OfflineComposer(library).compose(req)

    assert "민지, 여기 있습니다." in [ln.text for ln in dialogue.lines]


def test_rename_roles_rechooses_particles_and_handles_swapped_names():
    assert rename_roles(
        "손님이 오셨어요. 손님, 여기요.", ["손님", "직원"], ["민수", "지은"], "ko"
    ) == ("민수가 오셨어요. 민수, 여기요.")
    assert rename_roles("직원과 손님", ["직원", "손님"], ["손님", "직원"], "ko") == "손님과 직원"
    assert rename_roles("Ask the Teller.", ["Teller", "Customer"], ["Sam", "Ann"], "en") == (
        "Ask the Sam."
    )


def test_missing_language_in_library_is_a_clear_error(library):
    for path in (library / "roleplays").glob("*.json"):
        scenes = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps([s for s in scenes if s["language"] == "ko"]), encoding="utf-8")

    with pytest.raises(DialogueError) as caught:
        OfflineComposer(library).compose(en_request())

    assert caught.value.code == "no_scenario"


# --- offline composer over the real library -----------------------------------------


@pytest.fixture(scope="module")
def real_composer() -> OfflineComposer:
    return OfflineComposer()


@pytest.mark.parametrize(
    ("request_", "category"),
    [
        (
            en_request(title="Ordering coffee at a café", description="I want a latte."),
            "restaurant",
        ),
        (
            ko_request(title="카페에서 커피 주문", description="아이스 아메리카노를 시켜요."),
            "restaurant",
        ),
        (
            ko_request(title="병원 진료", description="감기에 걸려서 의사 선생님을 만나요."),
            "medical",
        ),
        (
            en_request(title="At the hair salon", description="I want a short haircut."),
            "hair-salon",
        ),
        (ko_request(title="은행에서 환전하기", description="달러로 돈을 바꿔요."), "bank"),
    ],
)
def test_real_library_scenario_matches_the_situation(real_composer, request_, category):
    scenario = real_composer.choose_scenario(request_)
    dialogue = real_composer.compose(request_)

    assert scenario.category == category
    assert scenario.language == request_.language
    library_texts = {ln.text for ln in scenario.lines}
    assert sum(ln.text in library_texts for ln in dialogue.lines) > len(dialogue.lines) / 2


KO_POOL = [
    "우산",
    "커피",
    "지갑",
    "버스",
    "약",
    "먹다",
    "마시다",
    "공부하다",
    "춥다",
    "예쁘다",
    "듣다",
]
EN_POOL = ["umbrella", "menu", "tickets", "water", "eat", "book", "tired", "cheap", "slowly"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ko=st.booleans(),
    picks=st.lists(st.integers(0, 8), max_size=10, unique=True),
    topic=st.sampled_from(
        ["카페 주문 Café", "버스 타기 Bus", "영화 예매 Cinema", "학원 등록 Academy"]
    ),
)
def test_real_library_output_always_validates(real_composer, ko, picks, topic):
    pool = KO_POOL if ko else EN_POOL
    words = tuple(pool[i] for i in picks if i < len(pool))
    req = ko_request(*words, title=topic) if ko else en_request(*words, title=topic)

    dialogue = real_composer.compose(req)

    assert validate_dialogue(dialogue, req) == []
    assert lines_alternate(dialogue)


def test_english_dialogue_may_carry_a_korean_must_word(library):
    req = en_request("kimchi", "김치")

    dialogue = OfflineComposer(library).compose(req)

    assert validate_dialogue(dialogue, req) == []
    assert any("김치" in ln.text for ln in dialogue.lines)
