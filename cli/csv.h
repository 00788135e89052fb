// CSV output as RFC 4180 has it: fields with a comma, quote or line break are quoted,
// quotes doubled, records end with CRLF; text stays UTF-8.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::cli {

inline std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

inline void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_field(fields[i]);
  out << "\r\n";
}

}  // namespace gazette::cli
