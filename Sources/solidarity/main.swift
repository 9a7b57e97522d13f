import SolidarityCLI

Solidarity.runMain()
