"""The iCalendar writer: escaping and line folding (RFC 5545 3.3.11 and 3.1)."""

from portal.calendar import ics_escape, ics_fold, ics_param


def test_text_is_escaped():
    assert ics_escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    assert ics_escape("linje 1\r\nlinje 2") == "linje 1\\nlinje 2"


def test_a_parameter_with_a_colon_or_comma_is_quoted():
    assert ics_param("Duck, Donald") == '"Duck, Donald"'
    assert ics_param("Donald Duck") == "Donald Duck"
    assert ics_param('Donald "The" Duck') == "Donald 'The' Duck"


def test_a_long_line_is_folded_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "æøå" * 40  # 2 octets each

    folded = ics_fold(line)

    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_a_short_line_is_left_alone():
    assert ics_fold("LOCATION:Bergen") == "LOCATION:Bergen"
