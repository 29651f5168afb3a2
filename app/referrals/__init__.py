"""Closed-loop referrals as pure rules: the lifecycle table, consent, privacy checks on what a
sender types, business-day deadlines, retention and the statistics shown to members.

Nothing here touches the database or Flask, so every rule is tested on plain values.
"""
