"""Every rule about values, in one place: null, multivalue, number/string coercion, comparison,
sort order, field paths and JSON extraction. Split by meaning into event (an event's layout and
field access), json (Splunk's JSON extraction and paths) and scalar (single values).

Values:
    None            null (missing)
    str             a single value, as extracted (JSON numbers keep their text)
    int | float     a number computed by eval or stats
    list            a multivalue: an ordered list of single values (never empty)
    bool            only inside eval; it cannot be stored in a field
"""
from .event import (BODY, BUFFER, DATES, KNOWLEDGE, METADATA, ORIGIN, RAW, Event, copy_event, event_fields,
                    field_getter, field_names, get_field, raw_bytes, raw_field, raw_getter, raw_text, remove_field, set_field)
from .json import body_value, flatten, json_leaves, json_scalar
from .scalar import (Rounded, Value, compare_values, first_value, folded_bytes, format_number, holds_lowered,
                     match_field_names,
                     like, like_regex, output_value, sort_key_auto, sort_key_ip, sort_key_num, sort_key_str, to_number,
                     to_ordered_number, to_string, values_of, wildcard_regex)

__all__ = [
    "BODY", "BUFFER", "DATES", "KNOWLEDGE", "METADATA", "raw_field", "raw_getter", "ORIGIN", "RAW", "Event", "Rounded", "Value", "body_value",
    "compare_values", "copy_event", "event_fields", "field_getter", "field_names", "first_value",
    "flatten", "folded_bytes", "format_number", "holds_lowered", "get_field", "json_leaves", "json_scalar", "like", "like_regex", "match_field_names",
    "output_value", "raw_bytes", "raw_text", "remove_field", "set_field", "sort_key_auto", "sort_key_ip",
    "sort_key_num", "sort_key_str", "to_number", "to_ordered_number", "to_string", "values_of", "wildcard_regex",
]
