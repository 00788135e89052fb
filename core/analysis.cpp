// Text analysis: ICU segmentation and folding, Xapian Snowball stemming.
// ASCII words (most of an English corpus) take a fast path that gives the same result
// as the ICU path would, without converting to UTF-16.
#include "core/analysis.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace gazette::core {
namespace {

const icu::Normalizer2& normalizer(const char* name, UNormalization2Mode mode) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* instance = icu::Normalizer2::getInstance(nullptr, name, mode, status);
  if (U_FAILURE(status) || instance == nullptr) {
    throw std::runtime_error(std::string("ICU normaliser unavailable: ") + u_errorName(status));
  }
  return *instance;
}

const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2& instance = normalizer("nfkc_cf", UNORM2_COMPOSE);
  return instance;
}
const icu::Normalizer2& nfd() {
  static const icu::Normalizer2& instance = normalizer("nfc", UNORM2_DECOMPOSE);
  return instance;
}
const icu::Normalizer2& nfc() {
  static const icu::Normalizer2& instance = normalizer("nfc", UNORM2_COMPOSE);
  return instance;
}

// Latin letters that carry their "diacritic" in the glyph itself and so do not
// decompose under NFD, mapped to what a user types without them.
const char* letter_without_stroke(UChar32 c) {
  switch (c) {
    case 0x00F0: return "d";   // ð
    case 0x0111: return "d";   // đ
    case 0x00F8: return "o";   // ø
    case 0x0142: return "l";   // ł
    case 0x0127: return "h";   // ħ
    case 0x0131: return "i";   // dotless ı
    case 0x00E6: return "ae";  // æ
    case 0x0153: return "oe";  // œ
    case 0x00FE: return "th";  // þ
    default: return nullptr;
  }
}

bool is_apostrophe(UChar32 c) { return c == 0x2019 || c == 0x2018 || c == 0x02BC; }

// Rules applied to the folded word whatever path produced it: acronym dots go
// ("u.s" → "us"), thousands separators in numbers go ("1,200" → "1200"), and
// apostrophes at the edges go ("'tis" → "tis").
void tidy_punctuation(std::string& word) {
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  const bool has_digit = std::any_of(word.begin(), word.end(), is_digit);
  if (!has_digit) {
    std::erase(word, '.');
  } else {
    // Drop a comma only when it separates digit groups of three: 1,200 but not 1,5.
    std::string out;
    out.reserve(word.size());
    for (std::size_t i = 0; i < word.size(); ++i) {
      const bool three_digits_follow =
          i + 3 < word.size() &&
          std::all_of(word.begin() + i + 1, word.begin() + i + 4, is_digit) &&
          (i + 4 == word.size() || !is_digit(word[i + 4]));
      if (word[i] == ',' && i > 0 && is_digit(word[i - 1]) && three_digits_follow) {
        continue;
      }
      out.push_back(word[i]);
    }
    word.swap(out);
  }
  while (!word.empty() && word.back() == '\'') word.pop_back();
  std::size_t lead = 0;
  while (lead < word.size() && word[lead] == '\'') ++lead;
  word.erase(0, lead);
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string fold_unicode(std::string_view word) {
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  for (int32_t i = 0; i < source.length(); ++i) {
    if (is_apostrophe(source.charAt(i))) source.setCharAt(i, u'\'');
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString folded = nfkc_casefold().normalize(source, status);
  const icu::UnicodeString decomposed = nfd().normalize(folded, status);
  if (U_FAILURE(status)) return {};

  icu::UnicodeString stripped;
  UScriptCode base_script = USCRIPT_COMMON;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      // Accents on Latin and Greek letters are dropped; marks elsewhere (Devanagari
      // vowel signs, Cyrillic й) change the word and stay.
      if (base_script == USCRIPT_LATIN || base_script == USCRIPT_GREEK) continue;
      stripped.append(c);
      continue;
    }
    base_script = uscript_getScript(c, &status);
    if (const char* replacement = letter_without_stroke(c)) {
      stripped.append(icu::UnicodeString(replacement));
    } else {
      stripped.append(c);
    }
  }
  const icu::UnicodeString composed = nfc().normalize(stripped, status);
  if (U_FAILURE(status)) return {};
  std::string out;
  composed.toUTF8String(out);
  return out;
}

}  // namespace

std::string normalize_word(std::string_view word) {
  std::string out;
  if (is_ascii(word)) {
    out.assign(word);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    out = fold_unicode(word);
  }
  tidy_punctuation(out);
  return out;
}

std::string normalize_value(std::string_view value) {
  std::string folded = is_ascii(value) ? std::string(value) : fold_unicode(value);
  if (is_ascii(value)) {
    for (char& c : folded) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (const char c : folded) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

struct Tokenizer::Impl {
  std::unique_ptr<icu::BreakIterator> words;
  UText text = UTEXT_INITIALIZER;
  ~Impl() { utext_close(&text); }
};

Tokenizer::Tokenizer() : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  // The root locale's rules: UAX #29 plus dictionaries for scripts without spaces.
  impl_->words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU word break iterator: ") + u_errorName(status));
  }
}

Tokenizer::~Tokenizer() = default;

void Tokenizer::segment(std::string_view text, RawEmit emit, void* context) {
  UErrorCode status = U_ZERO_ERROR;
  utext_openUTF8(&impl_->text, text.data(), static_cast<int64_t>(text.size()), &status);
  impl_->words->setText(&impl_->text, status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU: ") + u_errorName(status));

  int32_t begin = impl_->words->first();
  for (int32_t end = impl_->words->next(); end != icu::BreakIterator::DONE;
       begin = end, end = impl_->words->next()) {
    if (impl_->words->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;  // Space, punctuation.
    const std::string_view word = text.substr(begin, end - begin);
    const std::string term = normalize_word(word);
    if (term.empty() || term.size() > kMaxTermBytes) continue;
    emit(context, term, static_cast<std::size_t>(begin), static_cast<std::size_t>(end));
  }
}

std::vector<Token> Tokenizer::tokens(std::string_view text) {
  std::vector<Token> out;
  for_each(text, [&out](std::string_view term, std::size_t begin, std::size_t end) {
    out.push_back(Token{std::string(term), begin, end});
  });
  return out;
}

std::string stemmer_language(std::string_view lang) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 25> kCodes{{
      {"en", "english"},   {"fr", "french"},     {"de", "german"},   {"es", "spanish"},
      {"it", "italian"},   {"pt", "portuguese"}, {"nl", "dutch"},    {"sv", "swedish"},
      {"no", "norwegian"}, {"nb", "norwegian"},  {"nn", "norwegian"}, {"da", "danish"},
      {"fi", "finnish"},   {"ru", "russian"},    {"hu", "hungarian"}, {"ro", "romanian"},
      {"tr", "turkish"},   {"ar", "arabic"},     {"hy", "armenian"}, {"eu", "basque"},
      {"ca", "catalan"},   {"id", "indonesian"}, {"ga", "irish"},    {"lt", "lithuanian"},
      {"ta", "tamil"},
  }};
  std::string code = normalize_value(lang);
  // "en-GB", "pt_BR" → the primary subtag.
  if (const auto cut = code.find_first_of("-_"); cut != std::string::npos) code.resize(cut);
  for (const auto& [iso, name] : kCodes) {
    if (code == iso || code == name) return std::string(name);
  }
  if (code == "ne" || code == "nepali") return "nepali";
  // Older English stemmers, for comparison (docs/ranking.md): Porter's of 1980, Lovins's.
  if (code == "porter" || code == "lovins") return code;
  return {};
}

Stemmer::Stemmer(std::string_view lang) {
  language_ = lang.empty() ? "english" : stemmer_language(lang);
  if (!language_.empty()) {
    stem_ = Xapian::Stem(language_);
    stems_ = true;
  }
}

std::string Stemmer::operator()(const std::string& term) const {
  if (!stems_) return term;
  std::string stem = stem_(term);
  return stem.empty() ? term : stem;  // Porter's and Lovins's stemmers can strip a word to nothing.
}

bool is_valid_utf8(std::string_view text, std::size_t* bad_offset) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2, code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, code = lead & 0x07;
    } else {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    bool ok = i + length <= size;
    for (std::size_t k = 1; ok && k < length; ++k) {
      ok = (bytes[i + k] & 0xC0) == 0x80;
      code = (code << 6) | (bytes[i + k] & 0x3F);
    }
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && code >= kMinimum[length] && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
    if (!ok) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace gazette::core
