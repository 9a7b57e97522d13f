import Foundation

/// ISO 3166-2 region codes ("CA-QC"), as organizations and sites record them.
enum Region {
    /// The upper-cased code, refused when malformed or outside `country`.
    static func check(_ code: String, country: String?) throws -> String {
        let upper = code.uppercased()
        let parts = upper.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw SolidarityError.invalid("\"\(TextRules.printable(code))\" is not an ISO 3166-2 region code: write the country code, a hyphen and the subdivision, for example CA-QC for Quebec.")
        }
        let regionCountry = try Country(String(parts[0])).code
        if let country, country != regionCountry {
            throw SolidarityError.invalid("Region \(upper) is not in country \(country): correct the region or the country.")
        }
        return upper
    }

    /// The region a record keeps when it moves to `country`: its own, unless that lies in
    /// another country (moving a site from CA to US drops CA-QC rather than refusing the move).
    static func kept(_ region: String?, movingTo country: String) -> String? {
        guard let region, region.uppercased().hasPrefix(country.uppercased() + "-") else { return nil }
        return region
    }
}

extension Organization {
    /// Moves the organization to another country, dropping a region that is not in it.
    public mutating func move(to country: String) {
        self.country = country
        region = Region.kept(region, movingTo: country)
    }
}
