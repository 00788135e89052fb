// Text analysis shared by indexing and querying: ICU word segmentation, then per word
// NFKC normalisation, case folding and diacritic folding, then Snowball stemming.
// The same functions run on both sides so a query word meets the words it should.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace gazette::core {

// One word of a text: its normalised form and where it sits in the source (UTF-8 bytes).
struct Token {
  std::string term;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Longest term kept, in bytes; longer "words" are noise (URLs, base64) and Xapian caps terms.
inline constexpr std::size_t kMaxTermBytes = 64;

// Splits text into words. Not thread-safe: use one Tokenizer per thread.
class Tokenizer {
 public:
  Tokenizer();
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Calls `emit(term, begin, end)` for every word of `text` in order. Invalid UTF-8
  // sequences are treated as separators. `emit` must not keep the term view.
  template <typename Emit>
  void for_each(std::string_view text, Emit&& emit);

  std::vector<Token> tokens(std::string_view text);

 private:
  // Segments `text`; for each word calls back through a type-erased pointer.
  using RawEmit = void (*)(void* context, std::string_view term, std::size_t begin,
                           std::size_t end);
  void segment(std::string_view text, RawEmit emit, void* context);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

template <typename Emit>
void Tokenizer::for_each(std::string_view text, Emit&& emit) {
  segment(
      text,
      [](void* context, std::string_view term, std::size_t begin, std::size_t end) {
        (*static_cast<std::remove_reference_t<Emit>*>(context))(term, begin, end);
      },
      &emit);
}

// Normalises one word or a short value: NFKC, case folding, diacritic folding for Latin
// and Greek letters (é→e, đ→d, ά→α), typographic apostrophes to ', acronym dots removed
// (u.s. → us), digit-group commas removed (1,200 → 1200).
std::string normalize_word(std::string_view word);

// A facet value's key: whole value normalised as above with whitespace collapsed,
// so "Los Angeles  Times" and "los angeles times" select the same outlet.
std::string normalize_value(std::string_view value);

// A Snowball stemmer for a language code ("en", "fr", "german"); languages Xapian has
// no stemmer for (Greek among them) and the empty code map to English only when empty,
// otherwise to no stemming.
class Stemmer {
 public:
  explicit Stemmer(std::string_view lang);
  // The stem of a normalised term; the term itself when this language is not stemmed.
  std::string operator()(const std::string& term) const;
  bool stems() const { return stems_; }
  const std::string& language() const { return language_; }

 private:
  Xapian::Stem stem_;
  bool stems_ = false;
  std::string language_;  // Xapian's name ("english"), empty when not stemmed.
};

// Xapian's stemmer name for an ISO 639-1 code or a Xapian name; empty when unsupported.
std::string stemmer_language(std::string_view lang);

// True when `text` is well-formed UTF-8. On failure `bad_offset` is the first bad byte.
bool is_valid_utf8(std::string_view text, std::size_t* bad_offset = nullptr);

}  // namespace gazette::core
