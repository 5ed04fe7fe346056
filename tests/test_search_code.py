"""pizhu.search_code: the compact ASCII code of the search index's text."""

from __future__ import annotations

import json
import random

import pytest

from pizhu.search_code import BASE, CODE_CHARS, CharCode


def test_code_characters_need_no_escape_in_json_or_javascript() -> None:
    assert len(CODE_CHARS) == BASE == 93
    assert CODE_CHARS.isascii() and CODE_CHARS.isprintable()
    assert '"' not in CODE_CHARS and "\\" not in CODE_CHARS
    assert json.dumps(CODE_CHARS)[1:-1] == CODE_CHARS


def test_code_round_trips_any_text() -> None:
    rng = random.Random(7)
    pool = "三会一课两个维护，。、“”（）\n\x00 abcXYZ019<>&'\"\\𠮷😀\u2028\ufeff"
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 200))) for _ in range(50)]
    code = CharCode.fit(texts)
    for text in texts:
        coded = code.encode(text)
        assert coded.isascii() and '"' not in coded and "\\" not in coded
        assert code.decode(coded) == text
    assert CharCode.from_json(json.loads(json.dumps(code.to_json()))) == code


def test_code_gives_the_most_frequent_characters_the_shortest_codes() -> None:
    text = "的" * 1000 + "维护" * 10 + "".join(chr(0x4E00 + i) for i in range(500))
    code = CharCode.fit([text])
    assert code.alphabet[0] == "的"
    assert len(code.encode("的")) == 1
    assert len(code.encode(text)) < 2 * len(text)
    # the split is the best one: no other (singles, pairs) makes the text shorter
    best = len(code.encode(text))
    for singles in range(0, BASE + 1, 7):
        for pairs in range(0, BASE - singles + 1, 5):
            try:
                other = CharCode(code.alphabet, singles, pairs)
            except ValueError:
                continue  # too small for the alphabet
            assert len(other.encode(text)) >= best


def test_code_uses_three_characters_for_a_large_alphabet() -> None:
    alphabet = [chr(0x4E00 + i) for i in range(12_000)]  # more than 93 + 92 * 93
    code = CharCode.fit(["".join(alphabet), "".join(alphabet[:10]) * 1000])
    assert code.triples > 0
    assert {len(code.encode(symbol)) for symbol in alphabet} == {1, 2, 3}
    assert code.decode(code.encode("".join(alphabet))) == "".join(alphabet)


def test_code_refuses_characters_it_was_not_fitted_to() -> None:
    code = CharCode.fit(["三会一课"])
    with pytest.raises(ValueError, match="纠"):
        code.encode("量子纠缠")


def test_code_of_nothing() -> None:
    code = CharCode.fit([])
    assert code.encode("") == "" and code.decode("") == ""


@pytest.mark.parametrize("stranger", ["党", "a", '"', "\\", "\U00020000"])
def test_a_character_outside_the_alphabet_is_refused(stranger: str) -> None:
    """Never left as it is: a quote or backslash would break the shard's JSON, any other
    character would decode as a wrong one."""
    code = CharCode.fit(["三会一课"])
    with pytest.raises(ValueError, match="not in the code's alphabet"):
        code.encode("三会" + stranger + "一课")
