"""Property tests: SSE decoding does not depend on how the bytes are split, and never fails.

The Stream property feeds arbitrary bytes through a real ``urllib3.HTTPResponse`` whose body is an
in-memory file (no socket is needed to reach the decoding and the end-of-stream checks).
"""

import io
from typing import Dict, List, Optional, Sequence, Tuple

import pydantic
import urllib3
from hypothesis import given, settings
from hypothesis import strategies as st

from tachyon_sdk._sse import ServerSentEvent, SSEDecoder
from tachyon_sdk.exceptions import ApiException, StreamError
from tachyon_sdk.streaming import Stream

SETTINGS = settings(max_examples=200, deadline=None)

_line_text = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=12)
_id_text = st.text(st.characters(codec="utf-8", exclude_characters="\r\n\x00"), max_size=6)


@st.composite
def _event_blocks(draw: st.DrawFn) -> Tuple[str, Dict[str, object]]:
    """One block of field lines (terminated later by a blank line) and what it should produce."""
    data = draw(st.lists(_line_text, max_size=3))
    event = draw(st.one_of(st.none(), _line_text))
    event_id = draw(st.one_of(st.none(), _id_text))
    retry = draw(st.one_of(st.none(), st.integers(0, 10**6)))
    comment = draw(st.one_of(st.none(), _line_text))
    lines: List[str] = []
    if comment is not None:
        lines.append(":" + comment)
    if event is not None:
        lines.append("event: " + event)
    if event_id is not None:
        lines.append("id: " + event_id)
    if retry is not None:
        lines.append("retry: " + str(retry))
    lines = list(draw(st.permutations(lines)))
    # data lines keep their order but land anywhere among the other lines
    low = 0
    for value in data:
        low = draw(st.integers(low, len(lines)))
        lines.insert(low, "data: " + value)
        low += 1
    return "\n".join(lines), {"data": data, "event": event, "id": event_id, "retry": retry}


@st.composite
def _streams(draw: st.DrawFn) -> Tuple[bytes, List[ServerSentEvent]]:
    """A valid event stream (random line ends, optional BOM) and its expected events."""
    blocks = draw(st.lists(_event_blocks(), max_size=6))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    expected: List[ServerSentEvent] = []
    last_id: Optional[str] = None
    retry: Optional[int] = None
    text_blocks = []
    for text, spec in blocks:
        text_blocks.append(text.replace("\n", newline) + newline + newline if text else newline)
        last_id = spec["id"] if spec["id"] is not None else last_id  # type: ignore[assignment]
        retry = spec["retry"] if spec["retry"] is not None else retry  # type: ignore[assignment]
        data: List[str] = spec["data"]  # type: ignore[assignment]
        if data:
            expected.append(ServerSentEvent(spec["event"] or "message", "\n".join(data), last_id, retry))  # type: ignore[arg-type]
    raw = "".join(text_blocks).encode()
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    return raw, expected


def _split(raw: bytes, cuts: Sequence[int]) -> List[bytes]:
    points = sorted({min(c, len(raw)) for c in cuts})
    pieces, start = [], 0
    for point in points:
        pieces.append(raw[start:point])
        start = point
    pieces.append(raw[start:])
    return pieces


def _decode(pieces: Sequence[bytes]) -> Tuple[List[ServerSentEvent], bool]:
    decoder = SSEDecoder()
    events: List[ServerSentEvent] = []
    for piece in pieces:
        events.extend(decoder.feed(piece))
    events.extend(decoder.flush())
    return events, decoder.ended_mid_event


@SETTINGS
@given(_streams(), st.lists(st.integers(0, 400), max_size=12))
def test_any_chunking_of_a_valid_stream_equals_the_model(
    stream: Tuple[bytes, List[ServerSentEvent]], cuts: List[int]
) -> None:
    raw, expected = stream
    assert _decode([raw]) == (expected, False)
    assert _decode(_split(raw, cuts)) == (expected, False)


@SETTINGS
@given(st.binary(max_size=300), st.lists(st.integers(0, 300), max_size=12))
def test_arbitrary_bytes_never_raise_and_ignore_chunking(raw: bytes, cuts: List[int]) -> None:
    whole = _decode([raw])
    assert _decode(_split(raw, cuts)) == whole
    assert _decode([raw[i : i + 1] for i in range(len(raw))]) == whole


class _Chunk(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    n: int = 0


_sse_bytes = st.lists(
    st.sampled_from(
        [
            b"data: ",
            b"data: [DONE]",
            b'{"n": 1}',
            b'{"error": {"code": 500}}',
            b"event: error",
            b"\n",
            b"\r",
            b":",
            b"\xff",
            b"x",
            b"id: 1",
        ]
    ),
    max_size=20,
).map(b"".join)


@SETTINGS
@given(st.one_of(_sse_bytes, st.binary(max_size=200)))
def test_stream_over_arbitrary_bytes_raises_only_sdk_errors(raw: bytes) -> None:
    response = urllib3.HTTPResponse(
        body=io.BytesIO(raw), headers={"Content-Type": "text/event-stream"}, status=200, preload_content=False
    )
    stream: Stream[_Chunk] = Stream(response, _Chunk)
    chunks: List[_Chunk] = []
    try:
        chunks.extend(stream)
    except StreamError as exc:
        assert exc.chunks_received == len(chunks) == stream.chunks_received
    except ApiException as exc:
        assert exc.body is not None
    else:
        # a normal end means the stream said [DONE]
        assert b"[DONE]" in raw
    assert list(stream) == []
    assert response.closed
