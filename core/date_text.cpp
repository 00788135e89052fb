// A small scanner for dates in free text: the text becomes tokens (words, numbers,
// punctuation), and a date is tried at every token: ISO year-first, month-name first
// ("December 7, 2024") or day first ("7 Dec 2024"), then an optional time of day with
// am/pm and a zone.
#include "core/date_text.h"

#include <ctime>

#include <array>
#include <cctype>
#include <chrono>
#include <string>
#include <vector>

namespace gazette::core {
namespace {

struct Token {
  enum Kind { kWord, kNumber, kPunct } kind;
  std::string text;  // Words lower-cased, without a trailing dot.
  int value = 0;     // Numbers.
  int digits = 0;
  std::size_t begin = 0, end = 0;
};

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      ++i;
    } else if (std::isdigit(c)) {
      Token token{Token::kNumber, {}, 0, 0, i, i};
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && token.digits < 9) {
        token.value = token.value * 10 + (text[i] - '0');
        ++token.digits;
        ++i;
      }
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, token.digits = 99;
      // Ordinal suffixes belong to the number: 7th, 1st, 22nd, 3rd.
      if (i + 1 < text.size()) {
        const std::string suffix{static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))),
                                 static_cast<char>(std::tolower(static_cast<unsigned char>(text[i + 1])))};
        const bool next_is_letter = i + 2 < text.size() && std::isalpha(static_cast<unsigned char>(text[i + 2]));
        if ((suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") && !next_is_letter) i += 2;
      }
      token.end = i;
      tokens.push_back(token);
    } else if (std::isalpha(c) || c >= 0x80) {
      // Words may hold non-ASCII letters ("décembre"); other non-ASCII characters
      // (dashes, no-break spaces) are punctuation.
      if (c >= 0x80 && !(c == 0xC3 || c == 0xC5 || (c >= 0xCE && c <= 0xCF))) {
        std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        tokens.push_back(Token{Token::kPunct, std::string(text.substr(i, length)), 0, 0, i, i + length});
        i += length;
        continue;
      }
      Token token{Token::kWord, {}, 0, 0, i, i};
      while (i < text.size() && (std::isalpha(static_cast<unsigned char>(text[i])) ||
                                 static_cast<unsigned char>(text[i]) >= 0x80)) {
        token.text += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
        ++i;
      }
      if (i < text.size() && text[i] == '.') ++i;  // "Dec." and "a.m."
      token.end = i;
      tokens.push_back(token);
    } else {
      // A UTF-8 sequence is one punctuation token (an en dash, a non-breaking space).
      std::size_t length = 1;
      if (c >= 0xF0) length = 4; else if (c >= 0xE0) length = 3; else if (c >= 0xC0) length = 2;
      tokens.push_back(Token{Token::kPunct, std::string(text.substr(i, length)), 0, 0, i, i + length});
      i += length;
    }
  }
  return tokens;
}

// Month names in English, French, German and Spanish; abbreviations of three letters
// or more ("dec", "sept", "déc") match their prefix.
int month_number(const std::string& word) {
  static constexpr std::array<std::array<std::string_view, 12>, 4> kNames = {{
      {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
       "november", "december"},
      {"janvier", "f\xC3\xA9vrier", "mars", "avril", "mai", "juin", "juillet", "ao\xC3\xBBt", "septembre",
       "octobre", "novembre", "d\xC3\xA9" "cembre"},
      {"januar", "februar", "m\xC3\xA4rz", "april", "mai", "juni", "juli", "august", "september", "oktober",
       "november", "dezember"},
      {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
       "noviembre", "diciembre"}}};
  for (const auto& names : kNames) {
    for (int m = 0; m < 12; ++m) if (word == names[m]) return m + 1;
  }
  if (word.size() < 3) return 0;
  for (const auto& names : kNames) {
    for (int m = 0; m < 12; ++m) {
      if (word.size() < names[m].size() && names[m].starts_with(word)) return m + 1;
    }
  }
  return 0;
}

std::optional<int> zone_offset_minutes(const std::string& word) {
  struct Zone { std::string_view name; int minutes; };
  static constexpr std::array<Zone, 18> kZones = {{
      {"utc", 0}, {"gmt", 0}, {"z", 0}, {"est", -300}, {"edt", -240}, {"cst", -360},
      {"cdt", -300}, {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420},
      {"bst", 60}, {"cet", 60}, {"cest", 120}, {"eet", 120}, {"eest", 180},
      {"ist", 330}, {"jst", 540}}};
  for (const Zone& zone : kZones) {
    if (word == zone.name) return zone.minutes;
  }
  return std::nullopt;
}

bool is_punct(const std::vector<Token>& tokens, std::size_t i, std::string_view chars) {
  return i < tokens.size() && tokens[i].kind == Token::kPunct && chars.find(tokens[i].text) != std::string_view::npos &&
         tokens[i].text.size() == 1;
}

bool is_year(const Token& token) {
  return token.kind == Token::kNumber && token.digits == 4 && token.value >= 1800 && token.value <= 2200;
}

bool is_day(const Token& token) {
  return token.kind == Token::kNumber && token.digits <= 2 && token.value >= 1 && token.value <= 31;
}

struct Clock {
  int seconds = 0;
  int offset_minutes = 0;
  std::size_t next = 0;  // Token after the time.
};

// A time of day at token i: "1:03 pm", "13:03:00", "13:03 +0100", "6.46 p.m." is not read.
std::optional<Clock> read_clock(const std::vector<Token>& tokens, std::size_t i) {
  if (i + 2 >= tokens.size() || tokens[i].kind != Token::kNumber || tokens[i].digits > 2 ||
      !is_punct(tokens, i + 1, ":") || tokens[i + 2].kind != Token::kNumber ||
      tokens[i + 2].digits != 2) {
    return std::nullopt;
  }
  int hour = tokens[i].value, minute = tokens[i + 2].value, second = 0;
  std::size_t next = i + 3;
  if (is_punct(tokens, next, ":") && next + 1 < tokens.size() && tokens[next + 1].kind == Token::kNumber &&
      tokens[next + 1].digits == 2) {
    second = tokens[next + 1].value;
    next += 2;
  }
  // Fractions of a second: "13:03:00.5" leaves ".5" as punctuation and a number.
  if (next < tokens.size() && tokens[next].kind == Token::kWord) {
    const std::string& word = tokens[next].text;
    if (word == "am" || word == "a" || word == "pm" || word == "p") {
      const bool pm = word[0] == 'p';
      std::size_t after = next + 1;
      if ((word == "a" || word == "p") && after < tokens.size() && tokens[after].text == "m") ++after;
      if (hour < 1 || hour > 12) return std::nullopt;
      hour = hour % 12 + (pm ? 12 : 0);
      next = after;
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  Clock clock{hour * 3600 + minute * 60 + second, 0, next};
  if (next < tokens.size() && tokens[next].kind == Token::kWord) {
    if (const auto zone = zone_offset_minutes(tokens[next].text)) {
      clock.offset_minutes = *zone;
      clock.next = ++next;
    }
  }
  // "+0100", "+01:00", "-05:00" (also after GMT: "GMT+2" is rare and not read).
  if (next + 1 < tokens.size() && is_punct(tokens, next, "+-") && tokens[next + 1].kind == Token::kNumber) {
    const Token& number = tokens[next + 1];
    const int sign = tokens[next].text == "-" ? -1 : 1;
    int minutes = -1;
    std::size_t after = next + 2;
    if (number.digits == 4) {
      minutes = number.value / 100 * 60 + number.value % 100;
    } else if (number.digits == 2 && is_punct(tokens, after, ":") && after + 1 < tokens.size() &&
               tokens[after + 1].kind == Token::kNumber && tokens[after + 1].digits == 2) {
      minutes = number.value * 60 + tokens[after + 1].value;
      after += 2;
    }
    if (minutes >= 0 && minutes <= 18 * 60 && tokens[next].end == number.begin) {
      clock.offset_minutes = sign * minutes;
      clock.next = after;
    }
  }
  return clock;
}

std::optional<UnixSeconds> day_seconds(int year, int month, int day) {
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::sys_days{ymd}.time_since_epoch()).count();
}

// Skips joiners between a date and its time: "at", ",", "-", "|", "–", "T".
std::size_t skip_joiners(const std::vector<Token>& tokens, std::size_t i) {
  for (int n = 0; n < 2 && i < tokens.size(); ++n) {
    const Token& token = tokens[i];
    if ((token.kind == Token::kWord && (token.text == "at" || token.text == "t")) ||
        (token.kind == Token::kPunct && (token.text == "," || token.text == "-" || token.text == "|" ||
                                         token.text == "\xE2\x80\x93" || token.text == "@"))) {
      ++i;
    } else {
      break;
    }
  }
  return i;
}

// A date starting at token i: returns it and the index of the token after it.
std::optional<std::pair<FoundDate, std::size_t>> date_at(const std::vector<Token>& tokens, std::size_t i) {
  int year = 0, month = 0, day = 0;
  std::size_t next = 0;
  const Token& first = tokens[i];
  auto at = [&](std::size_t k) -> const Token* { return k < tokens.size() ? &tokens[k] : nullptr; };

  if (is_year(first) && at(i + 4) && (is_punct(tokens, i + 1, "-/.")) && tokens[i + 2].kind == Token::kNumber &&
      tokens[i + 2].digits <= 2 && tokens[i + 3].text == tokens[i + 1].text && is_day(tokens[i + 4]) &&
      tokens[i + 2].end == tokens[i + 3].begin) {
    // 2024-12-07, 2024/12/07.
    year = first.value, month = tokens[i + 2].value, day = tokens[i + 4].value;
    next = i + 5;
  } else if (first.kind == Token::kWord && (month = month_number(first.text)) != 0) {
    // December 7, 2024 / Dec. 7th 2024.
    std::size_t k = i + 1;
    if (!at(k) || !is_day(tokens[k])) return std::nullopt;
    day = tokens[k++].value;
    if (is_punct(tokens, k, ",")) ++k;
    if (!at(k) || !is_year(tokens[k])) return std::nullopt;
    year = tokens[k].value;
    next = k + 1;
  } else if (is_day(first)) {
    // 7 December 2024 / 07 Dec 2024 / 7th of December, 2024 / 7-Dec-2024.
    std::size_t k = i + 1;
    if (is_punct(tokens, k, "-")) ++k;
    if (at(k) && tokens[k].kind == Token::kWord && tokens[k].text == "of") ++k;
    if (!at(k) || tokens[k].kind != Token::kWord || (month = month_number(tokens[k].text)) == 0) return std::nullopt;
    ++k;
    if (is_punct(tokens, k, ",-")) ++k;
    if (!at(k) || !is_year(tokens[k])) return std::nullopt;
    day = first.value, year = tokens[k].value;
    next = k + 1;
  } else {
    return std::nullopt;
  }
  if (month < 1 || month > 12) return std::nullopt;
  const auto midnight = day_seconds(year, month, day);
  if (!midnight) return std::nullopt;
  FoundDate found{*midnight, false, first.begin, tokens[next - 1].end};
  if (const auto clock = read_clock(tokens, skip_joiners(tokens, next))) {
    found.seconds += clock->seconds - clock->offset_minutes * 60;
    found.has_time = true;
    found.end = tokens[clock->next - 1].end;
    next = clock->next;
  }
  return std::pair{found, next};
}

}  // namespace

std::optional<FoundDate> find_date(std::string_view text) {
  const std::vector<Token> tokens = tokenize(text);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (auto found = date_at(tokens, i)) return found->first;
  }
  return std::nullopt;
}

std::optional<UnixSeconds> parse_loose_date(std::string_view text) {
  if (const auto iso = parse_date(text)) return iso;
  const std::vector<Token> tokens = tokenize(text);
  if (tokens.empty()) return std::nullopt;
  // Allowed decoration: a weekday and words such as "Published"/"Updated"/"on" before,
  // punctuation anywhere; the date must use every number token.
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto found = date_at(tokens, i);
    if (!found) {
      if (tokens[i].kind == Token::kNumber) return std::nullopt;
      continue;
    }
    for (std::size_t k = found->second; k < tokens.size(); ++k) {
      if (tokens[k].kind == Token::kNumber) return std::nullopt;
    }
    return found->first.seconds;
  }
  return std::nullopt;
}

std::string implausible_date(UnixSeconds seconds) {
  constexpr UnixSeconds kEarliest = 631152000;  // 1990-01-01T00:00:00Z
  if (seconds < kEarliest) return "before 1990";
  if (seconds > static_cast<UnixSeconds>(std::time(nullptr)) + 86400) return "in the future";
  return {};
}

}  // namespace gazette::core
