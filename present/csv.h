// CSV output as RFC 4180 has it: fields with a comma, quote or line break are quoted,
// quotes doubled, records end with CRLF; text stays UTF-8. A field a spreadsheet would
// run as a formula (it starts with =, +, -, @, a tab or a carriage return, and is not a
// number) gets a leading apostrophe, as OWASP advises: stored text never runs in the
// researcher's spreadsheet (docs/formats.md).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::present {

// "-3", "+1.5": numbers, which spreadsheets read as such, not as formulas.
inline bool csv_number(std::string_view value) {
  std::size_t i = value.empty() ? 0 : (value[0] == '-' || value[0] == '+');
  bool digits = false, dot = false;
  for (; i < value.size(); ++i) {
    const char c = value[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

inline std::string csv_field(std::string_view given) {
  std::string guarded;
  if (!given.empty() && std::string_view("=+-@\t\r").find(given.front()) != std::string_view::npos &&
      !csv_number(given)) {
    guarded = "'" + std::string(given);
    given = guarded;
  }
  const std::string_view value = given;
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

inline std::string csv_row(const std::vector<std::string>& fields) {
  std::string row;
  for (std::size_t i = 0; i < fields.size(); ++i) row += (i ? "," : "") + csv_field(fields[i]);
  return row + "\r\n";
}

inline void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) { out << csv_row(fields); }

}  // namespace gazette::present
