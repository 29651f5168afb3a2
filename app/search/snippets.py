"""Short extracts of a description with the searched words marked.

Returns segments of plain text, each flagged as a match or not, so templates escape every
character and add the marking themselves: no HTML is ever built from user text here.
"""

from .schema import text_analyzer

WIDTH = 220


def snippet(text, stems, width=WIDTH):
    """[(text, is_match), ...] covering about ``width`` characters around the first match."""
    text = text or ""
    matches = [
        (token.startchar, token.endchar)
        for token in text_analyzer()(text, chars=True, removestops=True)
        if token.text in stems
    ]
    start = _window_start(text, matches, width)
    end = min(len(text), start + width)
    end = _word_end(text, end)
    segments = []
    cursor = start
    for begin, finish in matches:
        if begin < start or finish > end:
            continue
        if begin > cursor:
            segments.append((text[cursor:begin], False))
        segments.append((text[begin:finish], True))
        cursor = finish
    if cursor < end:
        segments.append((text[cursor:end], False))
    if start > 0:
        segments.insert(0, ("…", False))
    if end < len(text):
        segments.append(("…", False))
    return segments


def _window_start(text, matches, width):
    if not matches or matches[0][1] <= width:
        return 0
    start = max(0, matches[0][0] - width // 3)
    space = text.find(" ", start)
    return space + 1 if 0 <= space < matches[0][0] else start


def _word_end(text, end):
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", 0, end)
    return space if space > 0 else end


def plain(segments):
    return "".join(segment for segment, _ in segments)
