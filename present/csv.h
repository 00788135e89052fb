// CSV output as RFC 4180 has it: fields with a comma, quote or line break are quoted,
// quotes doubled, records end with CRLF; text stays UTF-8.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::present {

inline std::string csv_field(std::string_view value) {
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
