"""Every form a person submits is driven at least once in Chromium, not only with the test client.

A browser sends a form differently from the test client (CRLF line breaks, what a hidden field
carries, which button was pressed), so that a form which passes every test-client test can still
fail in every browser, as the Word import's confirmation did. FORMS names, for each state-changing
page route, the browser test that submits it; tests/browser/conftest.py records what each browser
test really submits to its live server and fails the test named here if it did not, and
test_form_coverage.py fails when a route is missing from the table.
"""

from __future__ import annotations

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

SETUP = "test_journeys.py::test_the_secretariat_sets_up_imports_publishes_and_opens_a_round"
DELEGATIONS = (
    "test_journeys.py::test_two_delegations_comment_amend_cosponsor_and_one_misses_the_deadline"
)
DRAFT_1 = (
    "test_journeys.py::test_the_secretariat_decides_applies_amendments_edits_and_publishes_draft_1"
)
SETTINGS = "test_round_countdown.py::test_a_person_takes_their_browsers_time_zone"
ROUND = "test_forms.py::test_the_secretariat_extends_a_round_for_one_delegation_and_closes_it"
EDITING = "test_forms.py::test_the_secretariat_merges_moves_and_deletes_paragraphs"
PARTICIPANTS = "test_forms.py::test_the_secretariat_changes_the_delegations_taking_part"
TOKENS = "test_forms.py::test_a_delegate_creates_and_revokes_an_api_token_and_logs_out"
ACCOUNTS = "test_accounts.py::test_the_secretariat_deactivates_a_delegate_and_reactivates_them"
RESET = (
    "test_accounts.py::test_the_secretariat_resets_a_password_and_the_delegate_chooses_a_new_one"
)
PASSWORD = "test_accounts.py::test_a_delegate_changes_their_password_in_settings"
STATUS = (
    "test_paragraph_status.py::"
    "test_the_chair_marks_two_paragraphs_and_the_document_page_counts_them"
)
STANCES = "test_convergence.py::test_a_delegate_objects_and_the_chair_sees_the_contested_paragraph"
SILENCE = "test_silence.py::test_the_secretariat_starts_silence_and_a_delegate_breaks_it"
WORD_FILE = "test_word_file.py::test_a_delegate_imports_a_marked_up_copy_as_drafts"
RECORDING = (
    "test_recording.py::test_the_secretariat_records_an_email_and_the_delegation_withdraws_it"
)
TRANSLATION = (
    "test_translations.py::"
    "test_the_secretariat_imports_reviews_confirms_and_reads_a_russian_translation"
)

# (endpoint, method): "file.py::test_name" of the browser test that submits it.
FORMS: dict[tuple[str, str], str] = {
    ("auth.login", "POST"): SETUP,
    ("auth.logout", "POST"): TOKENS,
    ("auth.settings", "POST"): SETTINGS,
    ("auth.change_password", "POST"): PASSWORD,
    ("auth.renew_feeds", "POST"): PASSWORD,
    ("auth.deactivate", "POST"): ACCOUNTS,
    ("auth.reactivate", "POST"): ACCOUNTS,
    ("auth.reset_password", "POST"): RESET,
    ("auth.add_delegation", "POST"): SETUP,
    ("auth.add_user", "POST"): SETUP,
    ("documents.new_document", "POST"): SETUP,
    ("documents.participants", "POST"): PARTICIPANTS,
    ("documents.publish", "POST"): SETUP,
    ("importing.upload", "POST"): SETUP,
    ("importing.confirm", "POST"): SETUP,
    ("consultations.new", "POST"): SETUP,
    ("consultations.extend", "POST"): ROUND,
    ("consultations.close", "POST"): ROUND,
    ("comments.new", "POST"): DELEGATIONS,
    ("comments.edit", "POST"): DELEGATIONS,
    ("comments.submit", "POST"): DELEGATIONS,
    ("comments.submit_drafts", "POST"): DELEGATIONS,
    ("comments.withdraw", "POST"): DELEGATIONS,
    ("comments.record", "POST"): RECORDING,
    ("comments.support", "POST"): DELEGATIONS,
    ("comments.unsupport", "POST"): DELEGATIONS,
    ("comments.state_stance", "POST"): STANCES,
    ("comments.withdraw_stance", "POST"): STANCES,
    ("compilation.decide", "POST"): DRAFT_1,
    ("editing.start", "POST"): DRAFT_1,
    ("editing.save", "POST"): DRAFT_1,
    ("editing.insert", "POST"): DRAFT_1,
    ("editing.split", "POST"): DRAFT_1,
    ("editing.apply", "POST"): DRAFT_1,
    ("editing.merge", "POST"): EDITING,
    ("editing.move", "POST"): EDITING,
    ("editing.delete", "POST"): EDITING,
    # Sent by the editor's form as it opens, for the meeting screen.
    ("meeting.opened", "POST"): (
        "test_meeting_screen.py::test_the_meeting_screen_follows_the_secretariats_edit_without_reloading"
    ),
    ("tokens.tokens", "POST"): TOKENS,
    ("tokens.revoke", "POST"): TOKENS,
    ("statuses.mark", "POST"): STATUS,
    ("statuses.mark_several", "POST"): STATUS,
    ("silence.start", "POST"): SILENCE,
    ("silence.break_silence", "POST"): SILENCE,
    ("word_file.upload", "POST"): WORD_FILE,
    ("word_file.confirm", "POST"): WORD_FILE,
    ("translations.upload", "POST"): TRANSLATION,
    ("translations.confirm", "POST"): TRANSLATION,
    ("translations.update_paragraph", "POST"): TRANSLATION,
    ("translations.publish", "POST"): TRANSLATION,
}


def named_test(test: str, node) -> bool:
    """Whether ``test`` ("file.py::name") is the pytest item ``node`` (parameters ignored)."""
    filename, _, name = test.partition("::")
    return node.path.name == filename and node.originalname == name


def page_forms(app) -> list[tuple[str, str]]:
    """(endpoint, method) of every state-changing route outside the JSON API, from the URL map,
    as tests/security/test_csrf_sweep.py finds them."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            continue
        found.update((rule.endpoint, method) for method in rule.methods & STATE_CHANGING)
    return sorted(found)
