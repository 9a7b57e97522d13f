#!/bin/sh
# How release-2026-12.sqlite was made, with the binary of the 2026-12 release (commit 1b32c44):
#   script: Tests/SolidarityCoreTests/Fixtures/make-release-2026-12.sh path/to/solidarity
# The fixture is frozen: never run this again to replace it. A test opens a copy with the current
# code (ReleaseFixtureTests.swift) to check that a database made by that release opens, migrates
# and reads as before.
set -eu
B=${1:?give the solidarity binary of the release}
DB=release-2026-12.sqlite
rm -f "$DB" "$DB-wal" "$DB-shm"
S() { "$B" "$@" --db "$DB" --no-notify; }

S init --seed --home ue
S webhook add http://127.0.0.1:9/hooks --event organization.created --description "Fixture receiver"
S org add "Sindicato Nacional de Trabajadores Ferroviarios" --acronym SNTF --kind union --country MX \
    --city Monterrey --native-name "Sindicato Nacional de Trabajadores Ferroviarios" --lang es \
    --members 1200 --members-as-of 2024 --campaign "Rail Workers United" \
    --source https://example.org/sntf --alias "Rail Union of Mexico@en" --notes "Met in 2024."
S person add "Ana Ruiz" --org sntf --title "Secretary General" --since 2023-04 \
    --title-source https://example.org/sntf --email ana@example.org --lang es --lang en
S relate ue sntf --kind ally --status active --since 2024-05 --source https://example.org/sntf
S employer add "Ferromex" --country MX --alias "Ferrocarril Mexicano" --parent wabtec
S site add "Ferromex shops, Monterrey" --employer ferromex --country MX --city Monterrey \
    --sector "rail repair" --union sntf --since 2020
S delegation log --title "Delegation to the SNTF in Monterrey" --to MX --city Monterrey --start 2025-03-10 \
    --end 2025-03-14 --host sntf --delegate carl-rosen --met fat --outcome "Agreed to share contracts." \
    --follow-up "Send the contract" --due 2025-04-01 --follow-up "Plan a return visit" \
    --employer ferromex --site "Ferromex shops, Monterrey" --campaign "Rail Workers United" \
    --source https://example.org/trip | tee trip.txt
for kind in exchange meeting conference webinar call; do
    S activity log --kind "$kind" --title "A $kind with the SNTF" --start 2025-05-02 --participant sntf \
        --contact ana-ruiz --follow-up "Write up the $kind" --due 2025-06-01 \
        --site "Ferromex shops, Monterrey" --status done
done
S followup done "$(sed -n 's/.*follow-up \([a-z0-9]*\): Send the contract.*/\1/p' trip.txt)" --on 2025-03-30
rm trip.txt
S convention add --org ue --name "80th UE Convention" --number 80 --start 2025-08-24 --end 2025-08-28 \
    --city Pittsburgh --country US
cat > resolution.txt <<'TEXT'
Rail Workers Across Borders

WHEREAS, UE and the SNTF have built ties at Ferromex and Wabtec;

THEREFORE, BE IT RESOLVED:

1. That UE continue its alliance with the SNTF and the FAT.
2. That UE send a delegation to Monterrey with Unifor.
TEXT
S resolution add --convention ue-80 --title "Rail Workers Across Borders" --file resolution.txt --status adopted
rm resolution.txt
S export --include-sensitive --output release-2026-12.export.json
