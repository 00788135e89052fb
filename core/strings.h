// Small string helpers shared by the readers, the cleaners and the evaluation readers.
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

namespace gazette::core {

// ASCII lower case; other bytes (UTF-8) unchanged.
inline std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Without leading and trailing white space, including the UTF-8 no-break spaces
// scrapers leave behind.
inline std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  constexpr std::string_view kNoBreak = "\xC2\xA0";
  while (true) {
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    text.remove_prefix(first);
    if (!text.starts_with(kNoBreak)) break;
    text.remove_prefix(kNoBreak.size());
  }
  while (true) {
    text = text.substr(0, text.find_last_not_of(kSpace) + 1);
    if (!text.ends_with(kNoBreak)) break;
    text.remove_suffix(kNoBreak.size());
  }
  return text;
}

// White space runs (and the line breaks of wrapped text) as single spaces, none at
// either end.
inline std::string fold_space(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// 64-bit FNV-1a: stable across runs, builds and platforms (stored keys depend on it).
inline std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 14695981039346656037ull) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// As 16 lower-case hex digits.
inline std::string hex64(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) out[static_cast<std::size_t>(i)] = kDigits[value & 15];
  return out;
}

}  // namespace gazette::core
