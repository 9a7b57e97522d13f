import Foundation

/// The tool's version, for the calendar's PRODID and the webhook user agent.
public enum SolidarityVersion {
    public static let current = "0.1.0"
}
