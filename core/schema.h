// The index schema: every Xapian term prefix and value slot Gazette uses, and the
// functions that build those terms. The only place that knows them; see
// docs/architecture.md for the table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "gazette/article.h"

namespace gazette::core::schema {

// --- Free-text fields: the stem of every word, with its position (one term per word:
// phrases and NEAR match stems, as Lucene's EnglishAnalyzer does). Unprefixed terms are
// title + body together, the default search field. Terms are case-folded, so an
// unprefixed term never starts with an upper-case ASCII letter and cannot be mistaken
// for a prefixed one. The default field's and the comments' positions are kept in the
// positions record (kPositionsSlot), the other fields' in Xapian's position table.
inline constexpr std::string_view kText = "";
inline constexpr std::string_view kTitle = "S";
inline constexpr std::string_view kAuthor = "A";
inline constexpr std::string_view kOutletText = "XP";
inline constexpr std::string_view kTagText = "XK";
// Reader comments cut from scraped pages: searched only through comments: or when a
// request includes comments, never part of the default field.
inline constexpr std::string_view kComments = "XC";

// --- Boolean filter terms (wdf 0: they match but never score).
inline constexpr std::string_view kId = "Q";          // Q<id>, unique per article.
inline constexpr std::string_view kOutlet = "XO:";    // XO:<normalised outlet>
inline constexpr std::string_view kTag = "XT:";       // XT:<normalised tag>
inline constexpr std::string_view kLang = "XL:";      // XL:<language code>
inline constexpr std::string_view kDay = "D";         // D20241207
inline constexpr std::string_view kMonth = "M";       // M202412
inline constexpr std::string_view kYear = "Y";        // Y2024

// --- Value slots.
inline constexpr Xapian::valueno kDateSlot = 0;    // sortable_serialise(unix seconds)
inline constexpr Xapian::valueno kOutletSlot = 1;  // Outlet as displayed, for facet counts.
inline constexpr Xapian::valueno kDaySlot = 2;     // "YYYYMMDD", for the daily histogram.
inline constexpr Xapian::valueno kMonthSlot = 3;   // "YYYYMM", for monthly and yearly ones.
inline constexpr Xapian::valueno kSignatureSlot = 4;  // MinHash signature (indexer/dedup.h).
inline constexpr Xapian::valueno kStorySlot = 5;      // Story id: the collapse key of --collapse story.
inline constexpr Xapian::valueno kIdSlot = 6;         // Article id, read without decoding the data.
// Positions of the default field and the comments (core/positions.h): those fields'
// terms carry no positions in Xapian's position table.
inline constexpr Xapian::valueno kPositionsSlot = 7;

// --- Duplicate detection (indexer/dedup.h), boolean terms.
inline constexpr std::string_view kTextHash = "XH";  // XH<hash of the normalised text>
inline constexpr std::string_view kUrlKey = "XU";    // XU<url>, canonical URL
inline constexpr std::string_view kBand = "XB";      // XB<band><hash>, MinHash LSH band
inline constexpr std::string_view kStory = "XS";     // XS<story id>

// --- Weights.
// A title word counts this many times a body word in the default field.
inline constexpr Xapian::termcount kTitleWeight = 3;
// Gap between title and body positions, so phrases never straddle the two.
inline constexpr Xapian::termpos kFieldGap = 100;

// Xapian stores terms of at most 245 bytes; a longer term fails the whole batch it is
// written in.
inline constexpr std::size_t kMaxTermBytes = 245;
// An id is kept whole in its term (the writer reads ids back from terms), so it may be
// at most this long; a longer one is the record's error (docs/formats.md).
inline constexpr std::size_t kMaxIdBytes = kMaxTermBytes - kId.size();

std::string id_term(std::string_view id);
// Outlet, tag, language and story terms of over-long values keep the value's first
// bytes (cut between characters) and a hash of the whole: distinct, and found by the
// query side, which builds its terms here too.
std::string outlet_term(std::string_view outlet);
std::string tag_term(std::string_view tag);
std::string lang_term(std::string_view lang);
std::string story_term(std::string_view story);
// The UTC days from `from` to `to` (the last second of a day) as the fewest year, month
// and day terms, which match exactly the articles dated in that span. Empty when the
// bounds do not fall on day boundaries or it would take more than a few hundred terms.
std::vector<std::string> calendar_terms(UnixSeconds from, UnixSeconds to);
std::string day_term(UnixSeconds date);    // "D20241207"
std::string month_term(UnixSeconds date);  // "M202412"
std::string year_term(UnixSeconds date);   // "Y2024"
std::string day_key(UnixSeconds date);     // "20241207", the kDaySlot value.

// The language code stored for an article ("en" when it has none).
std::string lang_code(std::string_view lang);

}  // namespace gazette::core::schema
