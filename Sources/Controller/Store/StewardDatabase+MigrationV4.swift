import GRDB

extension StewardDatabase {
    /// v4: runs by job and status. After each result the dispatcher asks "is anything of this job still in
    /// flight?" and "how many failed?"; without this index each question scanned all of the job's runs,
    /// which made a fan-out to N agents cost O(N²).
    static func migrateV4(_ db: Database) throws {
        try db.create(index: "runs_on_job_status", on: "runs", columns: ["job_id", "status"])
    }
}
