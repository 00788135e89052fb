// Duplicate and near-duplicate detection at index time.
// Exact: an article whose canonical URL, or whose normalised text (title + body words)
// from the same outlet, is already in the index under another id is not stored again.
// The same text from another outlet is a syndicated copy: stored, in the same story.
// Near: a MinHash signature over the body's word 4-shingles (60 hash functions) is
// split into 20 bands of 3; articles sharing a band are candidates, and a candidate
// whose estimated Jaccard similarity is at least kNearDuplicateSimilarity joins its
// story. The exact keys live in the index as terms and the signature in a value slot
// (core/schema.h), so grouping works across runs; the bands are not stored: the writer
// derives them from the stored signatures and keeps them in memory per segment
// (indexer/band_index.h), 160 bytes an article.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/analysis.h"
#include "gazette/article.h"
#include "indexer/key_filter.h"

namespace gazette::indexer {

inline constexpr std::size_t kMinHashes = 60;
inline constexpr std::size_t kBands = 20;
inline constexpr std::size_t kRows = kMinHashes / kBands;
inline constexpr double kNearDuplicateSimilarity = 0.5;
inline constexpr std::size_t kShingleWords = 4;
// Copies of one story run within this many days of each other (wire copies the same
// day, a weekly's reprint within the week); text alike further apart is another story.
inline constexpr long kStoryDays = 7;
// Bodies shorter than this many words are not grouped (headlines, captions).
inline constexpr std::size_t kMinWordsForNearDuplicates = 25;

using Signature = std::array<std::uint32_t, kMinHashes>;

struct Fingerprint {
  std::string text_hash;             // 16 hex digits.
  std::optional<Signature> minhash;  // None for short bodies.
};

// Fingerprint of an article from its normalised words, fed in order: the title's, then
// the body's (the document builder feeds them as it indexes, so the text is segmented
// once).
class FingerprintBuilder {
 public:
  FingerprintBuilder();
  void title_word(std::string_view word);
  void body_word(std::string_view word);
  Fingerprint finish();

 private:
  std::uint64_t text_hash_;
  bool in_body_ = false;
  std::vector<std::uint64_t> body_words_;
};

// The same, segmenting the article's title and body itself.
Fingerprint fingerprint(const Article& article, core::Tokenizer& tokenizer);

// Adds the fingerprint's exact keys (terms) and signature (value) to `document`.
void add_fingerprint(Xapian::Document& document, const Article& article, const Fingerprint& print);
// The band terms (XB) of a signature, one per band in band order: how a batch not yet
// committed (and indexes written before band keys moved to memory) find candidates.
std::vector<std::string> band_terms(const Signature& signature);

std::string encode_signature(const Signature& signature);
std::optional<Signature> decode_signature(std::string_view data);
double estimated_similarity(const Signature& a, const Signature& b);
// The 32-bit key of each band of a signature: the high half of the hash its band term
// (XB) carries, for the in-memory band index (indexer/band_index.h).
std::array<std::uint32_t, kBands> band_keys(const Signature& signature);

enum class Duplicate { kNone, kSameText, kSameUrl };

// Looks `document` up in `database` (which sees its own uncommitted changes), ignoring
// the document stored under the same id. Returns whether it exactly duplicates another
// article (and that article's id), else assigns its story: the story of the most
// similar near-duplicate, or its own id.
struct DedupResult {
  Duplicate duplicate = Duplicate::kNone;
  std::string duplicate_of;  // Id of the article it duplicates.
  std::string story;         // Set when duplicate == kNone.
};
// `keys`, when given, holds every exact key in `database`: keys it has never seen are
// not looked up. `bands`, when given, finds near-duplicate candidates: it calls
// visit(docid in `database`) for each article stored with a band (given as its term and
// its key, band_terms and band_keys); without it the band terms' posting lists in
// `database` are read.
using BandVisitor = std::function<void(Xapian::docid)>;
using BandLookup = std::function<void(const std::string& term, std::uint32_t key, const BandVisitor& visit)>;
DedupResult check_duplicates(const Xapian::Database& database, const Xapian::Document& document,
                             const std::string& id, const KeyFilter* keys = nullptr, const BandLookup& bands = {});

// Whether a term is one of the keys duplicate detection looks up.
bool is_duplicate_key(std::string_view term);

// Whether two articles (documents with their outlet and date values) may be copies of
// one story: dated at most kStoryDays apart, and from different outlets unless on the
// same day (an outlet's update). Undated articles may.
bool may_share_story(const Xapian::Document& article, const Xapian::Document& other);

// Records `story` on the document (value slot and XS term).
void set_story(Xapian::Document& document, const std::string& story);

}  // namespace gazette::indexer
