import Foundation
import SolidarityCLI

exit(Solidarity.run())
