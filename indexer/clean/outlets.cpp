#include "indexer/clean/outlets.h"

#include <algorithm>
#include <map>

#include "core/strings.h"

namespace gazette::indexer::clean {

using core::lower;
using core::trim;
namespace {

const std::map<std::string, std::string, std::less<>> kHosts = {
    {"reuters.com", "Reuters"}, {"apnews.com", "Associated Press"}, {"bbc.co.uk", "BBC"}, {"bbc.com", "BBC"},
    {"nytimes.com", "The New York Times"}, {"washingtonpost.com", "The Washington Post"},
    {"theguardian.com", "The Guardian"}, {"cnn.com", "CNN"}, {"foxnews.com", "Fox News"},
    {"aljazeera.com", "Al Jazeera"}, {"france24.com", "France 24"}, {"bloomberg.com", "Bloomberg"},
    {"wsj.com", "The Wall Street Journal"}, {"ft.com", "Financial Times"}, {"npr.org", "NPR"},
    {"politico.com", "Politico"}, {"politico.eu", "Politico Europe"}, {"timesofisrael.com", "The Times of Israel"},
    {"legalinsurrection.com", "Legal Insurrection"}, {"protothema.gr", "Proto Thema"},
    {"en.protothema.gr", "ProtoThema English"}, {"ekathimerini.com", "Kathimerini"}, {"dw.com", "DW"},
    {"lemonde.fr", "Le Monde"}, {"spiegel.de", "Der Spiegel"}, {"elpais.com", "El País"},
    {"usatoday.com", "USA Today"}, {"latimes.com", "Los Angeles Times"}, {"economist.com", "The Economist"},
    {"theatlantic.com", "The Atlantic"}, {"axios.com", "Axios"}, {"thehill.com", "The Hill"},
    {"nbcnews.com", "NBC News"}, {"cbsnews.com", "CBS News"}, {"abcnews.go.com", "ABC News"},
    {"news.yahoo.com", "Yahoo News"}, {"huffpost.com", "HuffPost"}, {"businessinsider.com", "Business Insider"},
    {"forbes.com", "Forbes"}, {"cnbc.com", "CNBC"}, {"time.com", "TIME"}, {"newsweek.com", "Newsweek"},
    {"independent.co.uk", "The Independent"}, {"telegraph.co.uk", "The Telegraph"},
    {"dailymail.co.uk", "Daily Mail"}, {"thetimes.co.uk", "The Times"}, {"afp.com", "AFP"},
    {"euronews.com", "Euronews"}, {"haaretz.com", "Haaretz"}, {"jpost.com", "The Jerusalem Post"},
    {"scmp.com", "South China Morning Post"}, {"theverge.com", "The Verge"}, {"wired.com", "Wired"},
    {"arstechnica.com", "Ars Technica"}, {"techcrunch.com", "TechCrunch"}, {"vox.com", "Vox"},
    {"slate.com", "Slate"}, {"nypost.com", "New York Post"}, {"abc.net.au", "ABC News (Australia)"},
    {"cbc.ca", "CBC News"}, {"globalnews.ca", "Global News"}, {"lefigaro.fr", "Le Figaro"},
    {"faz.net", "Frankfurter Allgemeine"}, {"sueddeutsche.de", "Süddeutsche Zeitung"},
    {"corriere.it", "Corriere della Sera"}, {"repubblica.it", "la Repubblica"}, {"elmundo.es", "El Mundo"}};

// Agencies and outlets known by a short name in by-lines.
const std::map<std::string, std::string, std::less<>> kAliases = {
    {"ap", "Associated Press"}, {"the associated press", "Associated Press"}, {"afp", "AFP"},
    {"agence france-presse", "AFP"}, {"reuters", "Reuters"}, {"thomson reuters", "Reuters"}, {"dpa", "dpa"},
    {"upi", "UPI"}, {"ana-mpa", "ANA-MPA"}, {"efe", "EFE"}, {"ansa", "ANSA"}, {"xinhua", "Xinhua"},
    {"tass", "TASS"}, {"bloomberg news", "Bloomberg"}, {"protothema", "ProtoThema English"}};

}  // namespace

std::string host_of(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, std::min(rest.find_first_of("/?#"), rest.size()));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (const auto colon = rest.find(':'); colon != std::string_view::npos) rest = rest.substr(0, colon);
  return lower(rest);
}

std::string outlet_from_url(std::string_view url) {
  std::string host = host_of(url);
  if (host.empty()) return {};
  // The most specific table entry: the host itself, then each parent domain.
  for (std::string_view candidate = host; !candidate.empty();) {
    if (const auto it = kHosts.find(candidate); it != kHosts.end()) return it->second;
    const auto dot = candidate.find('.');
    if (dot == std::string_view::npos) break;
    candidate.remove_prefix(dot + 1);
    if (candidate.find('.') == std::string_view::npos) break;  // Never match a bare TLD.
  }
  for (std::string_view prefix : {"www.", "m.", "amp.", "mobile."}) {
    if (host.starts_with(prefix)) {
      host.erase(0, prefix.size());
      break;
    }
  }
  return host;
}


std::string known_outlet(std::string_view name) {
  const std::string key = lower(name);
  if (key.empty()) return {};
  if (const auto it = kAliases.find(key); it != kAliases.end()) return it->second;
  for (const auto& [host, outlet] : kHosts) {
    if (lower(outlet) == key) return outlet;
  }
  return {};
}

}  // namespace gazette::indexer::clean
