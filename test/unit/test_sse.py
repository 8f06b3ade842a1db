"""SSEDecoder on sample streams, fed in one read, at every two-piece split point and byte by byte.

Expected values follow the WHATWG HTML "Server-sent events" event stream interpretation.
"""

from typing import Iterable, List, Tuple

import pytest

from tachyon_sdk._sse import ServerSentEvent, SSEDecoder

E = ServerSentEvent


def _chat_chunk(i: int, content: str) -> str:
    return (
        '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m",'
        f'"choices":[{{"index":0,"delta":{{"content":"{content}"}},"finish_reason":null}}],"n":{i}}}'
    )


# (name, raw bytes, expected events, input ended inside an event)
SAMPLES: List[Tuple[str, bytes, List[ServerSentEvent], bool]] = [
    (
        "openai_chat_chunks",
        (f"data: {_chat_chunk(0, 'Hé')}\n\ndata: {_chat_chunk(1, 'llo 😀')}\n\ndata: [DONE]\n\n").encode(),
        [E(data=_chat_chunk(0, "Hé")), E(data=_chat_chunk(1, "llo 😀")), E(data="[DONE]")],
        False,
    ),
    (
        "keep_alive_comments",
        b": keep-alive\n\n:\n\n: ping 1\ndata: x\n: inside\n\n:bye\n",
        [E(data="x")],
        False,
    ),
    (
        "multi_line_data",
        b"data: a\ndata:b\ndata\ndata:  c\n\n",
        [E(data="a\nb\n\n c")],
        False,
    ),
    ("crlf", b"data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n", [E(data="a\nb"), E(data="c")], False),
    ("cr_only", b"data: a\rdata: b\r\rdata: c\r\r", [E(data="a\nb"), E(data="c")], False),
    ("mixed_line_ends", b"data: a\r\n\rdata: b\n\r\ndata: c\r\r\n", [E(data="a"), E(data="b"), E(data="c")], False),
    ("bom", b"\xef\xbb\xbfdata: x\n\n", [E(data="x")], False),
    ("second_bom_not_stripped", b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\ndata: y\n\n", [E(data="y")], False),
    (
        "ids",
        b"id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: x\x00y\ndata: d\n\nid: 7\n\ndata: e\n\n",
        [E(data="a", id="1"), E(data="b", id="1"), E(data="c", id=""), E(data="d", id=""), E(data="e", id="7")],
        False,
    ),
    (
        "retry",
        b"data: a\n\nretry: 3000\ndata: b\n\nretry: 12a\ndata: c\n\nretry: -1\nretry: \nretry: \xef\xbc\x91\ndata: d\n\n",
        [E(data="a"), E(data="b", retry=3000), E(data="c", retry=3000), E(data="d", retry=3000)],
        False,
    ),
    ("unknown_fields", b"foo: bar\ndata: a\nbaz\nData: no\n\n", [E(data="a")], False),
    (
        "event_names",
        b'event: error\ndata: {"error":{}}\n\nevent\ndata: x\n\nevent: delta\nevent: last\ndata: y\n\n',
        [E(event="error", data='{"error":{}}'), E(data="x"), E(event="last", data="y")],
        False,
    ),
    ("event_without_data_not_dispatched", b"event: ping\n\ndata: y\n\n", [E(data="y")], False),
    ("empty_data_line_dispatched", b"data:\n\ndata\n\n", [E(data=""), E(data="")], False),
    (
        "space_handling",
        b"data:no-space\n\ndata:   two\n\ndata: a: b\n\n",
        [E(data="no-space"), E(data="  two"), E(data="a: b")],
        False,
    ),
    ("multibyte_utf8", "data: é, ü, 漢字, 😀🎉\n\n".encode(), [E(data="é, ü, 漢字, 😀🎉")], False),
    ("invalid_utf8_replaced", b"data: \xff\xfe ok \xe2\x82\n\n", [E(data="\ufffd\ufffd ok \ufffd")], False),
    ("unterminated_last_event", b"data: a\n\ndata: b\n", [E(data="a")], True),
    ("unterminated_last_line", b"data: a\n\ndata: b", [E(data="a")], True),
    ("cut_inside_utf8", b"data: a\n\ndata: \xf0\x9f", [E(data="a")], True),
    ("only_comments_at_end", b"data: a\n\n: trailing comment\n", [E(data="a")], False),
    ("empty_input", b"", [], False),
]


def _decode(pieces: Iterable[bytes]) -> Tuple[List[ServerSentEvent], bool]:
    decoder = SSEDecoder()
    events: List[ServerSentEvent] = []
    for piece in pieces:
        events.extend(decoder.feed(piece))
    events.extend(decoder.flush())
    return events, decoder.ended_mid_event


@pytest.mark.parametrize(("raw", "expected", "mid_event"), [s[1:] for s in SAMPLES], ids=[s[0] for s in SAMPLES])
def test_one_read(raw: bytes, expected: List[ServerSentEvent], mid_event: bool) -> None:
    assert _decode([raw]) == (expected, mid_event)


@pytest.mark.parametrize(("raw", "expected", "mid_event"), [s[1:] for s in SAMPLES], ids=[s[0] for s in SAMPLES])
def test_every_two_piece_split(raw: bytes, expected: List[ServerSentEvent], mid_event: bool) -> None:
    for cut in range(len(raw) + 1):
        assert _decode([raw[:cut], raw[cut:]]) == (expected, mid_event), f"split at byte {cut}"


@pytest.mark.parametrize(("raw", "expected", "mid_event"), [s[1:] for s in SAMPLES], ids=[s[0] for s in SAMPLES])
def test_byte_by_byte(raw: bytes, expected: List[ServerSentEvent], mid_event: bool) -> None:
    assert _decode([raw[i : i + 1] for i in range(len(raw))]) == (expected, mid_event)


def test_events_are_returned_by_the_feed_that_completes_them() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n") == []
    assert decoder.feed(b"\n") == [E(data="a")]
    # a CR ends the line at once; the LF of the next chunk is its pair, not a blank line
    assert decoder.feed(b"data: b\r") == []
    assert decoder.feed(b"\ndata: c\r\n") == []
    assert decoder.feed(b"\r") == [E(data="b\nc")]
    assert decoder.feed(b"\n") == []
    assert decoder.flush() == []
    assert decoder.ended_mid_event is False


def test_flush_reports_unterminated_event_and_resets() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"id: 5\nretry: 10\ndata: partial\n") == []
    assert decoder.flush() == []
    assert decoder.ended_mid_event is True
    # last event id and retry persist; the partial data was discarded
    assert decoder.feed(b"data: next\n\n") == [E(data="next", id="5", retry=10)]
    assert decoder.flush() == []
    assert decoder.ended_mid_event is False


def test_event_is_frozen_and_has_no_instance_dict() -> None:
    event = E(data="x")
    assert event.event == "message" and event.id is None and event.retry is None
    with pytest.raises(AttributeError):
        event.data = "y"  # type: ignore[misc]
    assert not hasattr(event, "__dict__")
