"""Date and time formats for the platform's locale (en-GB).

Django's own en-GB formats win over the DATE_FORMAT settings and show times as
"2:15 p.m."; these keep an unformatted date or time in the GOV.UK date style with
the 24-hour clock, as the `govuk_date` and `govuk_datetime` filters show them.
"""
