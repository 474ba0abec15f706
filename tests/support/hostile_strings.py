"""What commit messages and PR titles really hold. Pasted by the runner into a YAML payload's text
(`${{ github.event.head_commit.message }}`), most of them break or rewrite it; fed through `env:` and a
`{{ env.NAME }}` placeholder, each must stay one string value, byte for byte (the templating tests)."""

from __future__ import annotations

HOSTILE = [
    'Fix "quoted" thing',
    "it's a single quote",
    "fix: colon: space",
    "first line\nsecond line\n\nthird: after a blank line",
    "${{ secrets.ACTIVITYSMITH_API_KEY }}",
    "{{ env.OTHER }}",
    "title: injected\nmessage: forged\nredirection: https://evil.example",
    "- a\n- list",
    "{looks: [like, yaml], flow: true}",
    "# a comment?",
    "key: &anchor value\nother: *anchor",
    "trailing backslash \\",
    "tab\there and unicode 🚀 é",
    "",
]
