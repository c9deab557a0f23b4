"""Writes for learning: checking answers, practice sessions, attempts and finishing.

The server decides correctness and time: scores come from check_answer on the stored
line text, durations from the session's own timestamps; nothing the client sends about
scores or time is used.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from learning import review
from learning.checking import CheckError, check_answer, normalize_text
from learning.models import Attempt, LearnerStats, PracticeSession
from learning.records import local_date_of, per_line
from learning.speech import Recording, transcribe
from lipread.api.exceptions import ApplicationError
from roleplay.models import Line, Roleplay

CORRECT_SCORE = 80
MAX_SESSION_SECONDS = 2 * 60 * 60

ROLEPLAY_NOT_FOUND = gettext_noop("This roleplay does not exist.")
SESSION_NOT_FOUND = gettext_noop("This practice session does not exist.")
SESSION_FINISHED = gettext_noop("This practice session is already finished.")
LINE_NOT_IN_ROLEPLAY = gettext_noop("This sentence is not part of the session's roleplay.")
NOTHING_RECOGNISED = gettext_noop("No speech was recognised. Try again closer to the microphone.")


def is_correct(*, score: int, lip_score: int) -> bool:
    """Right enough to count: 80+ points, or only lip look-alikes confused."""
    return score >= CORRECT_SCORE or lip_score == 100


def answer_check(*, input: str, answer: str, language: str) -> dict[str, Any]:
    """check_answer's result as a dict; bad input becomes a 400 naming the field."""
    try:
        return check_answer(input=input, answer=answer, language=language).to_dict()
    except CheckError as error:
        raise ApplicationError(error.message, {"fields": {error.field: [error.message]}}) from None


def nothing_said_result(*, answer: str, language: str) -> dict[str, Any]:
    """The result for a recording with no recognisable speech: every word missing, 0 points."""
    answer_check(input=answer, answer=answer, language=language)  # validates answer + language
    said = normalize_text(answer.strip())
    return {
        "diff": [[1, said]],
        "score": 0,
        "lip_score": 0,
        "words": [{"text": word, "status": "missing", "input": None} for word in said.split()],
        "input_normalized": "",
        "answer_normalized": said,
        "spacing_differs": False,
    }


def spoken_check(*, recording: Recording, answer: str, language: str) -> dict[str, Any]:
    """Transcribe a recording and check it: {"transcript", "message"?, ...result}."""
    answer_check(input=answer, answer=answer, language=language)  # fail fast before recognising
    transcript = transcribe(recording, language=language)[:500]
    if not normalize_text(transcript):
        result = nothing_said_result(answer=answer, language=language)
        return {"transcript": "", "message": NOTHING_RECOGNISED, **result}
    return {
        "transcript": transcript,
        **answer_check(input=transcript, answer=answer, language=language),
    }


@transaction.atomic
def session_start(
    *, user: Any, roleplay_id: int, mode: str, now: datetime | None = None
) -> PracticeSession:
    roleplay = Roleplay.objects.visible_to(user).filter(pk=roleplay_id).first()
    if roleplay is None:
        raise ApplicationError(ROLEPLAY_NOT_FOUND, status=404)
    now = now or timezone.now()
    session = PracticeSession(
        user=user,
        roleplay=roleplay,
        roleplay_title=roleplay.title,
        roleplay_emoji=roleplay.emoji,
        language=roleplay.language,
        mode=mode,
        started_at=now,
        local_date=local_date_of(user, now),
    )
    session.full_clean()
    session.save()
    return session


def _locked_session(*, user: Any, session_id: int) -> PracticeSession:
    session = PracticeSession.objects.select_for_update().filter(user=user, pk=session_id).first()
    if session is None:
        raise ApplicationError(SESSION_NOT_FOUND, status=404)
    return session


def attempt_line(*, user: Any, session_id: int, line_id: Any) -> tuple[PracticeSession, Line]:
    """The open session and the line being answered; 404 / 400 as the API documents."""
    session = PracticeSession.objects.filter(user=user, pk=session_id).first()
    if session is None:
        raise ApplicationError(SESSION_NOT_FOUND, status=404)
    if session.is_finished:
        raise ApplicationError(SESSION_FINISHED)
    line = None
    if session.roleplay_id is not None and isinstance(line_id, int):
        line = Line.objects.filter(pk=line_id, roleplay_id=session.roleplay_id).first()
    if line is None:
        raise ApplicationError(LINE_NOT_IN_ROLEPLAY, {"fields": {"line": [LINE_NOT_IN_ROLEPLAY]}})
    return session, line


def attempt_create(
    *,
    user: Any,
    session_id: int,
    line_id: int,
    input: str = "",
    recording: Recording | None = None,
    now: datetime | None = None,
) -> tuple[Attempt, dict[str, Any]]:
    """Check one answer (typed, or spoken when `recording` is given) and store it.

    A sentence answered wrongly joins the learner's review deck. Recognition and checking
    run before the transaction opens (speech takes seconds; no lock is held meanwhile).
    """
    session, line = attempt_line(user=user, session_id=session_id, line_id=line_id)
    language = session.language
    if recording is not None:
        outcome = spoken_check(recording=recording, answer=line.text, language=language)
        transcript = outcome["transcript"]
    else:
        outcome = answer_check(input=input, answer=line.text, language=language)
        transcript = ""
    result = {key: value for key, value in outcome.items() if key not in ("transcript", "message")}
    correct = is_correct(score=result["score"], lip_score=result["lip_score"])
    with transaction.atomic():
        session = _locked_session(user=user, session_id=session_id)
        if session.is_finished:  # finished while we were checking
            raise ApplicationError(SESSION_FINISHED)
        attempt = Attempt.objects.create(
            session=session,
            line=line,
            line_order=line.order,
            answer=line.text,
            input=(input or "")[:300] if recording is None else "",
            transcript=transcript,
            spoken=recording is not None,
            result=result,
            score=result["score"],
            lip_score=result["lip_score"],
            correct=correct,
            created_at=now or timezone.now(),
        )
        if not correct:
            review.card_add(user=user, line=line, now=now)
    return attempt, {**outcome, "correct": correct, "attempt": attempt.pk, "answer": line.text}


@transaction.atomic
def session_finish(*, user: Any, session_id: int, now: datetime | None = None) -> PracticeSession:
    """Close a session once: compute its totals and add them to the learner's stats.

    The row lock makes a second (or concurrent) finish see the first one's result and
    return it unchanged, so nothing is counted twice; the stats row is updated with F()
    so finishes of different sessions running at the same time all add up.
    """
    session = _locked_session(user=user, session_id=session_id)
    if session.is_finished:
        return session
    now = now or timezone.now()
    lines = per_line(session.attempts.all())
    session.finished_at = max(now, session.started_at)
    elapsed = (session.finished_at - session.started_at) / timedelta(seconds=1)
    session.duration_seconds = int(min(max(elapsed, 0), MAX_SESSION_SECONDS))
    session.sentence_count = len(lines)
    session.correct_count = sum(1 for item in lines if item["correct"])
    scores = [item["best_score"] for item in lines]
    session.average_score = round(sum(scores) / len(scores)) if scores else None
    session.save(
        update_fields=[
            "finished_at",
            "duration_seconds",
            "sentence_count",
            "correct_count",
            "average_score",
        ]
    )
    LearnerStats.objects.bulk_create([LearnerStats(user=user)], ignore_conflicts=True)
    LearnerStats.objects.filter(user=user).update(
        sessions_finished=F("sessions_finished") + 1,
        sentences_practised=F("sentences_practised") + session.sentence_count,
        correct_sentences=F("correct_sentences") + session.correct_count,
        score_total=F("score_total") + sum(scores),
        practice_seconds=F("practice_seconds") + session.duration_seconds,
    )
    return session
