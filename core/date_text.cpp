// A small scanner for dates in free text: the text becomes tokens (words, numbers,
// punctuation), and a date is tried at every token: ISO year-first, month-name first
// ("December 7, 2024"), day first ("7 Dec 2024"), or numeric in the language's order
// ("17/03/2020"), then an optional time of day with am/pm and a zone. Month names and
// numeric orders are read once from ICU's locale data.
#include "core/date_text.h"

#include <ctime>

#include <array>
#include <cctype>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace gazette::core {
namespace {

struct Token {
  enum Kind { kWord, kNumber, kPunct } kind;
  std::string text;  // Words lower-cased, without a trailing dot.
  int value = 0;     // Numbers.
  int digits = 0;
  std::size_t begin = 0, end = 0;
};

// The byte length of the letter (or combining mark) at text[i], 0 when it is none.
std::size_t letter_length(std::string_view text, std::size_t i) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  int32_t offset = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_NEXT(bytes, offset, static_cast<int32_t>(text.size()), c);
  if (c < 0 || !u_hasBinaryProperty(c, UCHAR_ALPHABETIC)) return 0;
  return static_cast<std::size_t>(offset) - i;
}
bool is_letter_at(std::string_view text, std::size_t i) { return letter_length(text, i) > 0; }

std::string lower_utf8(std::string_view text) {
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
      .toLower(icu::Locale::getRoot())
      .toUTF8String(out);
  return out;
}

std::string_view trim_view(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

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
    } else if (std::isalpha(c) || (c >= 0x80 && is_letter_at(text, i))) {
      // Words are letters of any script ("décembre", "декабря", "أكتوبر"); other
      // non-ASCII characters (dashes, no-break spaces) are punctuation.
      Token token{Token::kWord, {}, 0, 0, i, i};
      bool ascii = true;
      while (i < text.size()) {
        const unsigned char letter = static_cast<unsigned char>(text[i]);
        if (letter < 0x80) {
          if (!std::isalpha(letter)) break;
          token.text += static_cast<char>(std::tolower(letter));
          ++i;
          continue;
        }
        const std::size_t length = letter_length(text, i);
        if (length == 0) break;
        token.text.append(text.substr(i, length));
        ascii = false;
        i += length;
      }
      if (!ascii) token.text = lower_utf8(token.text);
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

// Languages whose month names and numeric date order are read from ICU: those of the
// news the corpora hold, and their neighbours.
constexpr std::array<const char*, 38> kLocales = {
    "en", "fr", "de", "es", "it", "pt", "nl", "ca", "ru", "uk", "pl", "cs", "sk", "ro", "hu", "tr", "el", "sv", "da",
    "nb", "fi", "id", "ms", "ar", "fa", "he", "hi", "bg", "hr", "sr", "sl", "lt", "lv", "et", "vi", "sw", "tl", "az"};

struct LanguageDates {
  std::unordered_map<std::string, int> months;  // Word -> month; 0 when two months share it.
  char numeric_order = 0;                        // 'D' (17/03), 'M' (03/17), 0 unknown.
};

struct DateWords {
  std::unordered_map<std::string, LanguageDates> languages;
  std::unordered_map<std::string, int> any;  // Word -> month over all languages; 0 when they disagree.
};

// Adds `word` -> month to `map`; a word already naming another month names none.
void add_month_word(std::unordered_map<std::string, int>& map, const std::string& word, int month) {
  const auto [it, added] = map.emplace(word, month);
  if (!added && it->second != month) it->second = 0;
}

// The lower-case forms of one month's names in every ICU width and context, without a
// trailing dot; with `prefixes`, the prefixes of three letters or more of the full
// names instead ("sept", "febr").
std::vector<std::string> month_words(const icu::DateFormatSymbols& symbols, int month, const icu::Locale& locale,
                                     bool prefixes) {
  std::vector<std::string> words;
  for (const auto context : {icu::DateFormatSymbols::FORMAT, icu::DateFormatSymbols::STANDALONE}) {
    for (const auto width : {icu::DateFormatSymbols::WIDE, icu::DateFormatSymbols::ABBREVIATED}) {
      int32_t count = 0;
      const icu::UnicodeString* names = symbols.getMonths(count, context, width);
      if (month >= count) continue;
      icu::UnicodeString name = names[month];
      name.toLower(locale);
      while (name.endsWith(icu::UnicodeString(u"."))) name.truncate(name.length() - 1);
      if (name.length() < 2) continue;
      if (!prefixes) {
        words.emplace_back();
        name.toUTF8String(words.back());
      } else if (width == icu::DateFormatSymbols::WIDE) {
        for (int32_t length = 3; length < name.length(); ++length) {
          words.emplace_back();
          name.tempSubString(0, length).toUTF8String(words.back());
        }
      }
    }
  }
  return words;
}

// 'D' when the locale's short date pattern puts the day before the month, 'M' when
// the month comes first.
char numeric_order(const icu::Locale& locale) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateFormat> format(icu::DateFormat::createDateInstance(icu::DateFormat::kShort, locale));
  auto* simple = dynamic_cast<icu::SimpleDateFormat*>(format.get());
  if (!simple || U_FAILURE(status)) return 0;
  icu::UnicodeString pattern;
  simple->toPattern(pattern);
  const int32_t day = pattern.indexOf(u'd');
  int32_t month = pattern.indexOf(u'M');
  if (month < 0) month = pattern.indexOf(u'L');
  if (day < 0 || month < 0) return 0;
  return day < month ? 'D' : 'M';
}

DateWords build_date_words() {
  DateWords words;
  std::unordered_map<std::string, int> prefixes;  // Over all languages.
  for (const char* code : kLocales) {
    const icu::Locale locale(code);
    UErrorCode status = U_ZERO_ERROR;
    const icu::DateFormatSymbols symbols(locale, status);
    if (U_FAILURE(status)) continue;
    LanguageDates& language = words.languages[code];
    // Names first; a prefix counts only where it is no month's name ("červen", June,
    // begins "červenec", July), and one shared by two months ("jui") names neither.
    std::unordered_map<std::string, int> own_prefixes;
    for (int month = 0; month < 12; ++month) {
      for (const std::string& word : month_words(symbols, month, locale, false)) add_month_word(language.months, word, month + 1);
      for (const std::string& word : month_words(symbols, month, locale, true)) add_month_word(own_prefixes, word, month + 1);
    }
    for (const auto& [word, month] : language.months) {
      if (month != 0) add_month_word(words.any, word, month);
    }
    for (const auto& [word, month] : own_prefixes) {
      if (language.months.count(word) == 0) language.months.emplace(word, month);
      if (month != 0) add_month_word(prefixes, word, month);
    }
    // English is read in either order by country; its short pattern is the US one.
    language.numeric_order = std::string_view(code) == "en" ? 0 : numeric_order(locale);
  }
  for (const auto& [word, month] : prefixes) words.any.emplace(word, month);
  return words;
}

int month_in(const std::unordered_map<std::string, int>& months, const std::string& word) {
  const auto it = months.find(word);
  return it == months.end() ? 0 : it->second;
}

const DateWords& date_words() {
  static const DateWords words = build_date_words();
  return words;
}

const LanguageDates* language_dates(std::string_view lang) {
  if (lang.empty()) return nullptr;
  const auto& languages = date_words().languages;
  const auto it = languages.find(std::string(lang.substr(0, lang.find_first_of("-_"))));
  return it == languages.end() ? nullptr : &it->second;
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

// A word that is, or begins with, one of `markers` (CJK text runs words together:
// "日星期五" is the day's mark and the weekday).
bool is_marker(const Token& token, std::initializer_list<std::string_view> markers) {
  if (token.kind != Token::kWord) return false;
  for (const std::string_view marker : markers) {
    if (token.text.starts_with(marker)) return true;
  }
  return false;
}

struct Clock {
  int seconds = 0;
  std::optional<int> offset_minutes;  // When a zone follows the time.
  std::size_t next = 0;               // Token after the time.
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
  Clock clock{hour * 3600 + minute * 60 + second, std::nullopt, next};
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

// A numeric day and month with a four-digit year after them ("17/03/2020",
// "17.03.2020", "3-17-2020"), in the language's order; with none known, only where one
// of the two numbers cannot be a month.
bool numeric_day_month(const std::vector<Token>& tokens, std::size_t i, const LanguageDates* language, int& day,
                       int& month) {
  if (i + 4 >= tokens.size() || !is_day(tokens[i]) || !is_punct(tokens, i + 1, "/.-") || !is_day(tokens[i + 2]) ||
      tokens[i + 3].text != tokens[i + 1].text || !is_year(tokens[i + 4])) {
    return false;
  }
  // Written tight: "17/03/2020", not "17 / 03 / 2020" (a score, a ratio).
  if (tokens[i].end != tokens[i + 1].begin || tokens[i + 1].end != tokens[i + 2].begin ||
      tokens[i + 2].end != tokens[i + 3].begin ||
      tokens[i + 3].end != tokens[i + 4].begin) {
    return false;
  }
  const int first = tokens[i].value, second = tokens[i + 2].value;
  char order = language ? language->numeric_order : 0;
  if (first > 12 && second <= 12) {
    if (order == 'M') return false;  // Contradicts the language: not a date as it writes them.
    order = 'D';
  } else if (second > 12 && first <= 12) {
    if (order == 'D') return false;
    order = 'M';
  } else if (first > 12 && second > 12) {
    return false;
  }
  if (order == 0) return false;
  day = order == 'D' ? first : second;
  month = order == 'D' ? second : first;
  return true;
}

// A date starting at token i: returns it and the index of the token after it.
std::optional<std::pair<FoundDate, std::size_t>> date_at(const std::vector<Token>& tokens, std::size_t i,
                                                         const LanguageDates* language) {
  int year = 0, month = 0, day = 0;
  std::size_t next = 0;
  const Token& first = tokens[i];
  auto at = [&](std::size_t k) -> const Token* { return k < tokens.size() ? &tokens[k] : nullptr; };
  auto month_of = [&](const Token& token) {
    if (token.kind != Token::kWord) return 0;
    if (language) {
      if (const auto it = language->months.find(token.text); it != language->months.end()) return it->second;
    }
    return month_in(date_words().any, token.text);
  };

  if (is_year(first) && at(i + 4) && (is_punct(tokens, i + 1, "-/.")) && tokens[i + 2].kind == Token::kNumber &&
      tokens[i + 2].digits <= 2 && tokens[i + 3].text == tokens[i + 1].text && is_day(tokens[i + 4]) &&
      tokens[i + 2].end == tokens[i + 3].begin) {
    // 2024-12-07, 2024/12/07.
    year = first.value, month = tokens[i + 2].value, day = tokens[i + 4].value;
    next = i + 5;
  } else if (is_year(first) && at(i + 5) && is_marker(tokens[i + 1], {"\xE5\xB9\xB4", "\xEB\x85\x84"}) &&
             is_day(tokens[i + 2]) && is_marker(tokens[i + 3], {"\xE6\x9C\x88", "\xEC\x9B\x94"}) &&
             is_day(tokens[i + 4]) && is_marker(tokens[i + 5], {"\xE6\x97\xA5", "\xEC\x9D\xBC"})) {
    // 2020年07月03日 (Chinese, Japanese), 2020년 7월 3일 (Korean).
    year = first.value, month = tokens[i + 2].value, day = tokens[i + 4].value;
    next = i + 6;
  } else if ((month = month_of(first)) != 0) {
    // December 7, 2024 / Dec. 7th 2024.
    std::size_t k = i + 1;
    if (!at(k) || !is_day(tokens[k])) return std::nullopt;
    day = tokens[k++].value;
    if (is_punct(tokens, k, ",")) ++k;
    if (!at(k) || !is_year(tokens[k])) return std::nullopt;
    year = tokens[k].value;
    next = k + 1;
  } else if (numeric_day_month(tokens, i, language, day, month)) {
    year = tokens[i + 4].value;
    next = i + 5;
  } else if (is_day(first)) {
    // 7 December 2024 / 07 Dec 2024 / 7th of December, 2024 / 7-Dec-2024 / 7 de dezembro de 2024.
    std::size_t k = i + 1;
    if (is_punct(tokens, k, "-.")) ++k;
    if (at(k) && tokens[k].kind == Token::kWord && (tokens[k].text == "of" || tokens[k].text == "de")) ++k;
    if (!at(k) || (month = month_of(tokens[k])) == 0) return std::nullopt;
    ++k;
    if (is_punct(tokens, k, ",-")) ++k;
    if (at(k) && tokens[k].kind == Token::kWord && tokens[k].text == "de") ++k;
    if (!at(k) || !is_year(tokens[k])) return std::nullopt;
    day = first.value, year = tokens[k].value;
    next = k + 1;
  } else {
    return std::nullopt;
  }
  if (month < 1 || month > 12) return std::nullopt;
  const auto midnight = day_seconds(year, month, day);
  if (!midnight) return std::nullopt;
  FoundDate found{*midnight, false, std::nullopt, first.begin, tokens[next - 1].end};
  if (const auto clock = read_clock(tokens, skip_joiners(tokens, next))) {
    found.seconds += clock->seconds - clock->offset_minutes.value_or(0) * 60;
    found.offset = clock->offset_minutes;
    found.has_time = true;
    found.end = tokens[clock->next - 1].end;
    next = clock->next;
  }
  return std::pair{found, next};
}

}  // namespace

int month_number(std::string_view word, std::string_view lang) {
  const std::string key = lower_utf8(word);
  if (const LanguageDates* language = language_dates(lang)) {
    if (const auto it = language->months.find(key); it != language->months.end()) return it->second;
  }
  return month_in(date_words().any, key);
}

std::optional<FoundDate> find_date(std::string_view text, std::string_view lang) {
  const std::vector<Token> tokens = tokenize(text);
  const LanguageDates* language = language_dates(lang);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (auto found = date_at(tokens, i, language)) return found->first;
  }
  return std::nullopt;
}

std::optional<FoundDate> read_loose_date(std::string_view text, std::string_view lang) {
  std::optional<int> offset;
  if (const auto iso = parse_date(text, &offset)) {
    const bool has_time = trim_view(text).size() > 10;
    return FoundDate{*iso, has_time, offset, 0, text.size()};
  }
  const std::vector<Token> tokens = tokenize(text);
  const LanguageDates* language = language_dates(lang);
  // Allowed decoration: a weekday and words such as "Published"/"Updated"/"on" before,
  // punctuation anywhere, a time of day before the date ("04:25 PM IST Apr 08, 2020");
  // the date must use every number token.
  std::optional<Clock> clock_before;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto found = date_at(tokens, i, language);
    if (!found) {
      if (tokens[i].kind != Token::kNumber) continue;
      if (clock_before) return std::nullopt;
      clock_before = read_clock(tokens, i);
      if (!clock_before) return std::nullopt;
      i = clock_before->next - 1;
      continue;
    }
    for (std::size_t k = found->second; k < tokens.size(); ++k) {
      if (tokens[k].kind == Token::kNumber) return std::nullopt;
    }
    FoundDate date = found->first;
    if (clock_before && !date.has_time) {
      date.seconds += clock_before->seconds - clock_before->offset_minutes.value_or(0) * 60;
      date.offset = clock_before->offset_minutes;
      date.has_time = true;
    }
    return date;
  }
  return std::nullopt;
}

std::optional<UnixSeconds> parse_loose_date(std::string_view text) {
  const auto date = read_loose_date(text);
  return date ? std::optional<UnixSeconds>(date->seconds) : std::nullopt;
}

std::string implausible_date(UnixSeconds seconds) {
  constexpr UnixSeconds kEarliest = 631152000;  // 1990-01-01T00:00:00Z
  if (seconds < kEarliest) return "before 1990";
  if (seconds > static_cast<UnixSeconds>(std::time(nullptr)) + 86400) return "in the future";
  return {};
}

}  // namespace gazette::core
