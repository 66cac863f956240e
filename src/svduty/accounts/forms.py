from django import forms
from django.contrib.auth import password_validation

from svduty.core.authorisation import Role

from .models import Agency, User

ROLE_CHOICES = [(r.value, r.label) for r in Role]


class RoleChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=ROLE_CHOICES, **kwargs)
        self.choice_hints = {r.value: r.description for r in Role}


class InviteUserForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    username = forms.RegexField(
        label="Sign-in name",
        regex=r"^[a-z0-9._-]{3,60}$",
        help_text="3 to 60 lower-case letters, numbers, full stops, hyphens or "
        "underscores. For example, j.smith",
        error_messages={
            "invalid": "Sign-in name must only include lower-case letters, numbers, "
            "full stops, hyphens and underscores"
        },
    )
    email = forms.EmailField(
        label="Email address", help_text="We will send the invitation link here"
    )
    job_title = forms.CharField(
        label="Job title (optional)", required=False, max_length=200
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies",
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="The first agency selected is their main agency",
        error_messages={"required": "Select at least one agency"},
    )
    roles = RoleChoiceField(
        label="Roles", error_messages={"required": "Select at least one role"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = "Enter their full name"
        self.fields["username"].error_messages["required"] = "Enter a sign-in name"
        self.fields["email"].error_messages["required"] = "Enter an email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )


class ChangeAccessForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies",
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one agency"},
    )
    roles = RoleChoiceField(label="Roles", required=False)


class DisableUserForm(forms.Form):
    reason = forms.CharField(
        label="Why are you disabling this account?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter why the account is being disabled"},
        help_text=(
            "For example, they have left the agency. This is kept in the audit trail."
        ),
    )


class ResetSecondFactorsForm(forms.Form):
    reason = forms.CharField(
        label="How did you check that the request comes from this person?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter how you checked who is asking"},
        help_text=(
            "For example, you called them back on the number in the staff directory. "
            "This is kept in the audit trail."
        ),
    )


class ChoosePasswordForm(forms.Form):
    password1 = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "Use at least 12 characters. A few unrelated words together make a strong "
            "password."
        ),
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Confirm password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirm your password"},
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Passwords must match")
        if p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as exc:
                for message in exc.messages:
                    self.add_error("password1", message)
        return cleaned


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text=(
            "What you will use it for, for example: monthly police extract upload"
        ),
        error_messages={"required": "Enter a name for the token"},
    )
