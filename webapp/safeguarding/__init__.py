"""The safeguarding core: concerns, who hears of them, triage, cases, referrals, timed work."""
