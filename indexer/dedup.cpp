#include "indexer/dedup.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "core/schema.h"
#include "core/strings.h"

namespace gazette::indexer {
namespace {

namespace schema = core::schema;

using core::fnv1a;

// SplitMix64 finaliser: a fast, well-mixed hash of a 64-bit value.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::string hex(std::uint64_t value) { return core::hex64(value); }

std::uint64_t band_hash(const Signature& signature, std::size_t band) {
  std::uint64_t hash = mix(band);
  for (std::size_t row = 0; row < kRows; ++row) hash = mix(hash ^ signature[band * kRows + row]);
  return hash;
}

std::string url_term(std::string_view url) {
  // Xapian terms hold at most 245 bytes; long URLs are keyed by their hash.
  if (url.size() > 200) return std::string(schema::kUrlKey) + "#" + hex(fnv1a(url));
  return std::string(schema::kUrlKey) + std::string(url);
}

std::string id_of(const Xapian::Document& document) {
  Xapian::TermIterator term = document.termlist_begin();
  term.skip_to(std::string(schema::kId));
  if (term != document.termlist_end() && (*term).starts_with(schema::kId)) return (*term).substr(schema::kId.size());
  return {};
}

// Whole days between two articles' dates (value slot 0, on each publisher's clock);
// nullopt when either is undated.
std::optional<long> days_between(const Xapian::Document& a, const Xapian::Document& b) {
  const std::string first = a.get_value(schema::kDateSlot), second = b.get_value(schema::kDateSlot);
  if (first.empty() || second.empty()) return std::nullopt;
  const auto day = [](const std::string& value) {
    return static_cast<long>(std::floor(Xapian::sortable_unserialise(value) / 86400.0));
  };
  return std::labs(day(first) - day(second));
}

}  // namespace

bool may_share_story(const Xapian::Document& article, const Xapian::Document& other) {
  const std::optional<long> apart = days_between(article, other);
  if (!apart) return true;  // Undated: nothing says otherwise.
  if (*apart > kStoryDays) return false;
  // One outlet's near-identical text on another day is the next report of a series
  // (daily Fed operations, market reports, weather), not a copy of the first.
  return *apart == 0 || article.get_value(schema::kOutletSlot) != other.get_value(schema::kOutletSlot);
}

namespace {

// Whether `document` may join `story`: also checked against the article the story is
// named after (its first), so that a chain of copies, or an undated copy in between,
// does not draw a later report of a series into the first one's story.
bool may_join(const Xapian::Database& database, const Xapian::Document& document, const std::string& story) {
  const std::string first = schema::id_term(story);
  const Xapian::PostingIterator posting = database.postlist_begin(first);
  if (posting == database.postlist_end(first)) return true;  // A story id the input gave, or gone.
  return may_share_story(document, database.get_document(*posting, Xapian::DOC_ASSUME_VALID));
}

}  // namespace

FingerprintBuilder::FingerprintBuilder() : text_hash_(fnv1a(" ")) {}

void FingerprintBuilder::title_word(std::string_view word) { text_hash_ = fnv1a(word, fnv1a(" ", text_hash_)); }

void FingerprintBuilder::body_word(std::string_view word) {
  if (!in_body_) {
    text_hash_ = fnv1a("\n", text_hash_);
    in_body_ = true;
  }
  text_hash_ = fnv1a(word, fnv1a(" ", text_hash_));
  body_words_.push_back(fnv1a(word));
}

Fingerprint FingerprintBuilder::finish() {
  if (!in_body_) text_hash_ = fnv1a("\n", text_hash_);
  Fingerprint print;
  print.text_hash = hex(text_hash_);
  const std::vector<std::uint64_t>& words = body_words_;
  if (words.size() < kMinWordsForNearDuplicates) return print;

  Signature signature;
  signature.fill(UINT32_MAX);
  for (std::size_t i = 0; i + kShingleWords <= words.size(); ++i) {
    std::uint64_t shingle = 0;
    for (std::size_t k = 0; k < kShingleWords; ++k) shingle = mix(shingle ^ words[i + k]);
    for (std::size_t h = 0; h < kMinHashes; ++h) {
      const auto value = static_cast<std::uint32_t>(mix(shingle ^ (0x5851F42D4C957F2Dull * (h + 1))) >> 32);
      signature[h] = std::min(signature[h], value);
    }
  }
  print.minhash = signature;
  return print;
}

Fingerprint fingerprint(const Article& article, core::Tokenizer& tokenizer) {
  FingerprintBuilder builder;
  tokenizer.for_each(article.title, [&](std::string_view word, std::size_t, std::size_t) { builder.title_word(word); });
  tokenizer.for_each(article.body, [&](std::string_view word, std::size_t, std::size_t) { builder.body_word(word); });
  return builder.finish();
}

void add_fingerprint(Xapian::Document& document, const Article& article, const Fingerprint& print) {
  document.add_boolean_term(std::string(schema::kTextHash) + print.text_hash);
  if (!article.url.empty()) document.add_boolean_term(url_term(article.url));
  if (print.minhash) {
    document.add_value(schema::kSignatureSlot, encode_signature(*print.minhash));
  }
}

std::string encode_signature(const Signature& signature) {
  std::string data(sizeof(Signature), '\0');
  std::memcpy(data.data(), signature.data(), sizeof(Signature));
  return data;
}

std::optional<Signature> decode_signature(std::string_view data) {
  if (data.size() != sizeof(Signature)) return std::nullopt;
  Signature signature;
  std::memcpy(signature.data(), data.data(), sizeof(Signature));
  return signature;
}

double estimated_similarity(const Signature& a, const Signature& b) {
  std::size_t same = 0;
  for (std::size_t i = 0; i < kMinHashes; ++i) same += a[i] == b[i];
  return static_cast<double>(same) / static_cast<double>(kMinHashes);
}

bool is_duplicate_key(std::string_view term) {
  return term.starts_with(schema::kTextHash) || term.starts_with(schema::kUrlKey) || term.starts_with(schema::kBand);
}

DedupResult check_duplicates(const Xapian::Database& database, const Xapian::Document& document,
                             const std::string& id, const KeyFilter* keys, const BandLookup& bands) {
  DedupResult result;
  const std::string id_term = core::schema::id_term(id);
  // The article's own earlier copies (one per segment at most until a commit lands)
  // are not duplicates of it.
  std::set<Xapian::docid> self;
  for (Xapian::PostingIterator it = database.postlist_begin(id_term); it != database.postlist_end(id_term); ++it) {
    self.insert(*it);
  }

  // Exact duplicates: the same canonical URL, or the same text from the same outlet,
  // under another id. The same text from another outlet is a syndicated copy: stored,
  // and in the story of the copy found.
  const std::string outlet = document.get_value(schema::kOutletSlot);
  std::string copy_story;
  for (Xapian::TermIterator term = document.termlist_begin(); term != document.termlist_end(); ++term) {
    const std::string name = *term;
    const bool text = name.starts_with(schema::kTextHash);
    const bool url = name.starts_with(schema::kUrlKey);
    if (!text && !url) continue;
    if (keys && !keys->may_contain(name)) continue;
    for (Xapian::PostingIterator it = database.postlist_begin(name); it != database.postlist_end(name); ++it) {
      if (self.count(*it)) continue;
      const Xapian::Document other = database.get_document(*it, Xapian::DOC_ASSUME_VALID);
      if (url || other.get_value(schema::kOutletSlot) == outlet) {
        result.duplicate = text ? Duplicate::kSameText : Duplicate::kSameUrl;
        result.duplicate_of = id_of(other);
        return result;
      }
      if (copy_story.empty() && may_share_story(document, other) &&
          may_join(database, document, other.get_value(schema::kStorySlot))) {
        copy_story = other.get_value(schema::kStorySlot);
      }
    }
  }
  if (!copy_story.empty()) {
    result.story = copy_story;
    return result;
  }

  // Near duplicates: candidates share a band; the most similar one at or above the
  // threshold gives its story.
  result.story = id;
  const std::optional<Signature> signature = decode_signature(document.get_value(schema::kSignatureSlot));
  if (!signature) return result;
  constexpr std::size_t kMaxCandidatesPerBand = 50;
  std::map<Xapian::docid, unsigned> shared_bands;
  const std::vector<std::string> terms = band_terms(*signature);
  const std::array<std::uint32_t, kBands> band_key = band_keys(*signature);
  std::vector<Xapian::docid> found;
  for (std::size_t band = 0; band < kBands; ++band) {
    found.clear();
    if (bands) {
      bands(terms[band], band_key[band], [&](Xapian::docid docid) { found.push_back(docid); });
    } else if (!keys || keys->may_contain(terms[band])) {
      for (Xapian::PostingIterator it = database.postlist_begin(terms[band]); it != database.postlist_end(terms[band]);
           ++it) {
        found.push_back(*it);
      }
    }
    // An article may be found both ways (an older index stores band terms too).
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::size_t taken = 0;
    for (const Xapian::docid docid : found) {
      if (taken++ == kMaxCandidatesPerBand) break;
      if (!self.count(docid)) ++shared_bands[docid];
    }
  }
  // Verifying a candidate reads its document; one sharing a single band of 20 is
  // usually a chance match, so with many candidates only those sharing two or more
  // are read.
  constexpr std::size_t kVerifyAll = 8;
  std::vector<Xapian::docid> candidates;
  for (const auto& [docid, bands] : shared_bands) {
    if (bands >= 2 || shared_bands.size() <= kVerifyAll) candidates.push_back(docid);
  }
  double best = kNearDuplicateSimilarity;
  for (const Xapian::docid candidate : candidates) {
    const Xapian::Document other = database.get_document(candidate, Xapian::DOC_ASSUME_VALID);
    if (!may_share_story(document, other)) continue;
    const std::optional<Signature> other_signature = decode_signature(other.get_value(schema::kSignatureSlot));
    if (!other_signature) continue;
    const double similarity = estimated_similarity(*signature, *other_signature);
    if (similarity >= best) {
      const std::string story = other.get_value(schema::kStorySlot);
      if (story.empty() || !may_join(database, document, story)) continue;
      best = similarity;
      result.story = story;
    }
  }
  return result;
}

std::vector<std::string> band_terms(const Signature& signature) {
  std::vector<std::string> terms;
  for (std::size_t band = 0; band < kBands; ++band) {
    const std::uint64_t hash = band_hash(signature, band);
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%02zu", band);
    terms.push_back(std::string(schema::kBand) + prefix + hex(hash));
  }
  return terms;
}

std::array<std::uint32_t, kBands> band_keys(const Signature& signature) {
  std::array<std::uint32_t, kBands> keys{};
  for (std::size_t band = 0; band < kBands; ++band) keys[band] = static_cast<std::uint32_t>(band_hash(signature, band) >> 32);
  return keys;
}

void set_story(Xapian::Document& document, const std::string& story) {
  document.add_value(schema::kStorySlot, story);
  document.add_boolean_term(schema::story_term(story));
}

}  // namespace gazette::indexer
