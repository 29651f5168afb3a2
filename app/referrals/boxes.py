"""An organization's referral boxes as people filter them: the boxes, a page's size and the
values each filter takes (shared by the inbox, the API and its OpenAPI description)."""

BOXES = ("incoming", "outgoing")
PER_PAGE = 25
MAX_PAGE = 99_999
OVERDUE_CHOICES = {"": False, "0": False, "false": False, "1": True, "true": True}
