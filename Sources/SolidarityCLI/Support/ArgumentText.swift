import Foundation
import SolidarityCore

/// Every argument is UTF-8 text that `TextRules` accepts, checked before parsing: Swift would
/// otherwise turn bytes that are not UTF-8 into U+FFFD without a word, and store "Uni�n".
enum ArgumentText {
    /// Refuses the first argument that is not UTF-8 or holds a control character (usage, exit 64).
    /// `given` are arguments passed in (tests); without them, the process's own, byte for byte.
    static func check(_ given: [String]?) throws {
        if let given {
            for (index, argument) in given.enumerated() { try check(argument, position: index + 1) }
            return
        }
        let argv = Swift.CommandLine.unsafeArgv
        for index in 1..<Int(Swift.CommandLine.argc) {
            guard let pointer = argv[index] else { continue }
            guard let argument = String(validatingCString: pointer) else {
                throw SolidarityError.invalid("Argument \(index) (\"\(String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self).prefix(60))\") is not UTF-8 text: set the terminal or the script to UTF-8 (for example LANG=C.UTF-8) and give it again.")
            }
            try check(argument, position: index)
        }
    }

    private static func check(_ argument: String, position: Int) throws {
        if let problem = TextRules.problem(in: argument) {
            throw SolidarityError.invalid("Argument \(position) (\"\(TextRules.printable(argument))\") \(problem).")
        }
    }
}
