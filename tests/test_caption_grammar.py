"""The caption detector's grammar: AP photo captions are recognised, sentences of prose are not."""

from cleaner.textdetectors import caption_grammar


def test_ap_caption_with_weekday_date_and_place_reads_as_a_caption() -> None:
    text = "Residents walk past a flooded street Monday, March 2, 2015, in Riverside, Calif."
    assert caption_grammar(text) == "caption grammar: date and place"


def test_weekday_abbreviations_inside_words_of_prose_are_not_dates() -> None:
    """'sat' and 'sun' are weekdays to the dateline detector, never to the caption grammar."""
    assert caption_grammar("The cat sat in Paris, France.") is None
    assert caption_grammar("Crowds gather in the sun at Hyde Park, London.") is None
