"""The answer to a request for a contribution is one of the contribution's own
statuses (ContributionStatus), and each answer asks for its own text."""

from __future__ import annotations

from svduty.cases.forms import ContributionResponseForm
from svduty.cases.models import ContributionStatus


def test_the_answers_are_the_contribution_statuses():
    form = ContributionResponseForm()
    values = [value for value, _label in form.fields["answer"].choices]
    assert values == [ContributionStatus.RECEIVED, ContributionStatus.DECLINED]


def test_each_answer_needs_its_own_text():
    received = ContributionResponseForm({"answer": "received", "response": " "})
    assert not received.is_valid()
    assert received.errors["response"] == ["Enter your contribution"]
    declined = ContributionResponseForm({"answer": "declined"})
    assert not declined.is_valid()
    assert declined.errors["declined_reason"] == ["Enter why your agency is declining"]
    ok = ContributionResponseForm({"answer": "declined", "declined_reason": "No"})
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["answer"] == ContributionStatus.DECLINED
