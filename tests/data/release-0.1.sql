-- The database of release 0.1 (before versioned migrations), with two listings, an editor and
-- two recorded changes: the starting point of the migration test.
BEGIN TRANSACTION;
CREATE TABLE "listing_changes" (
   "id" INTEGER PRIMARY KEY,
   "program_id" TEXT,
   "user_id" INTEGER,
   "at" TEXT,
   "field" TEXT,
   "old" TEXT,
   "new" TEXT
);
INSERT INTO "listing_changes" VALUES(1,'legacy-one',1,'2026-11-21T10:00:00+00:00','eligibility','Old rule.','Ontario resident, not in full-time school.');
INSERT INTO "listing_changes" VALUES(2,'legacy-one',1,'2026-11-21T10:00:00+00:00','seats','15','20');
CREATE TABLE "login_attempts" (
   "key" TEXT,
   "at" REAL
);
INSERT INTO "login_attempts" VALUES('account:x@example.org',1.0);
CREATE TABLE "organizations" (
   "id" TEXT PRIMARY KEY,
   "name" TEXT
);
INSERT INTO "organizations" VALUES('test-community-services','Test Community Services');
INSERT INTO "organizations" VALUES('second-org','Second Org');
CREATE TABLE "password_resets" (
   "token_hash" TEXT PRIMARY KEY,
   "user_id" INTEGER,
   "expires" REAL
);
CREATE TABLE "program_terms" (
   "program_id" TEXT REFERENCES "programs"("id"),
   "vocabulary" TEXT,
   "slug" TEXT,
   PRIMARY KEY ("program_id", "vocabulary", "slug")
);
INSERT INTO "program_terms" VALUES('legacy-one','sectors','ict');
INSERT INTO "program_terms" VALUES('legacy-one','populations','youth');
INSERT INTO "program_terms" VALUES('legacy-one','populations','newcomers');
INSERT INTO "program_terms" VALUES('legacy-one','interventions','sector-training');
INSERT INTO "program_terms" VALUES('legacy-one','interventions','job-matching');
INSERT INTO "program_terms" VALUES('legacy-one','interventions','post-placement-coaching');
INSERT INTO "program_terms" VALUES('legacy-one','languages','en');
INSERT INTO "program_terms" VALUES('legacy-one','languages','fr');
INSERT INTO "program_terms" VALUES('legacy-one','funders','provincial');
INSERT INTO "program_terms" VALUES('legacy-one','delivery_mode','in-person');
INSERT INTO "program_terms" VALUES('legacy-two','sectors','ict');
INSERT INTO "program_terms" VALUES('legacy-two','populations','women');
INSERT INTO "program_terms" VALUES('legacy-two','interventions','sector-training');
INSERT INTO "program_terms" VALUES('legacy-two','interventions','job-matching');
INSERT INTO "program_terms" VALUES('legacy-two','interventions','post-placement-coaching');
INSERT INTO "program_terms" VALUES('legacy-two','languages','en');
INSERT INTO "program_terms" VALUES('legacy-two','languages','fr');
INSERT INTO "program_terms" VALUES('legacy-two','funders','provincial');
INSERT INTO "program_terms" VALUES('legacy-two','delivery_mode','in-person');
CREATE TABLE "programs" (
   "id" TEXT PRIMARY KEY,
   "name" TEXT,
   "organization" TEXT,
   "organization_id" TEXT REFERENCES "organizations"("id"),
   "description" TEXT,
   "sectors" TEXT,
   "occupations" TEXT,
   "populations" TEXT,
   "interventions" TEXT,
   "streams" TEXT,
   "service_area" TEXT,
   "delivery_mode" TEXT,
   "languages" TEXT,
   "age_min" INTEGER,
   "age_max" INTEGER,
   "eligibility" TEXT,
   "fee" TEXT,
   "intake" TEXT,
   "next_intake_date" TEXT,
   "application_deadline" TEXT,
   "seats" INTEGER,
   "duration_weeks" INTEGER,
   "funders" TEXT,
   "website" TEXT,
   "phone" TEXT,
   "email" TEXT,
   "source_url" TEXT,
   "verification" TEXT,
   "last_verified" TEXT
);
INSERT INTO "programs" VALUES('legacy-one','Legacy One','Test Community Services','test-community-services','Twelve weeks of IT support training with a paid placement.','["ict"]','[]','["youth", "newcomers"]','["sector-training", "job-matching", "post-placement-coaching"]','[]','["city-wide"]','in-person','["en", "fr"]',18,29,'Ontario resident, not in full-time school.','free','cohort',NULL,NULL,20,12,'["provincial"]','https://example.org/youth-tech','416-555-0100','info@example.org','https://example.org/youth-tech','compiled','2026-11-01');
INSERT INTO "programs" VALUES('legacy-two','Legacy Two','Second Org','second-org','Twelve weeks of IT support training with a paid placement.','["ict"]','[]','["women"]','["sector-training", "job-matching", "post-placement-coaching"]','[]','["city-wide"]','in-person','["en", "fr"]',18,29,'Ontario resident, not in full-time school.','free','cohort',NULL,NULL,20,12,'["provincial"]','https://example.org/youth-tech','+1 416 555 0100','info@example.org','https://example.org/youth-tech','compiled','2026-11-01');
CREATE TABLE "sites" (
   "program_id" TEXT REFERENCES "programs"("id"),
   "position" INTEGER,
   "address" TEXT,
   "postal_code" TEXT,
   "latitude" REAL,
   "longitude" REAL,
   "location_precision" TEXT,
   "ward" TEXT,
   "neighbourhood" TEXT,
   "neighbourhood_class" TEXT,
   PRIMARY KEY ("program_id", "position")
);
INSERT INTO "sites" VALUES('legacy-one',0,'100 Queen St W, Toronto','M5H 2N2',43.6523,-79.3799,'postal_code',NULL,NULL,NULL);
INSERT INTO "sites" VALUES('legacy-two',0,'100 Queen St W, Toronto','M5H 2N2',43.6523,-79.3799,'postal_code',NULL,NULL,NULL);
CREATE TABLE "users" (
   "id" INTEGER PRIMARY KEY,
   "email" TEXT NOT NULL,
   "name" TEXT,
   "password_hash" TEXT NOT NULL,
   "role" TEXT NOT NULL,
   "organization_id" TEXT,
   "status" TEXT NOT NULL,
   "session_version" INTEGER DEFAULT 0,
   "requested_organization" TEXT,
   "created" TEXT
);
INSERT INTO "users" VALUES(1,'editor@legacy.example.org','Legacy Editor','scrypt:32768:8:1$x$y','editor','test-community-services','active',0,NULL,'2026-11-20T10:00:00+00:00');
CREATE UNIQUE INDEX "idx_users_email"
    ON "users" ("email");
CREATE INDEX "idx_login_attempts_key_at"
    ON "login_attempts" ("key", "at");
CREATE INDEX "idx_listing_changes_program_id"
    ON "listing_changes" ("program_id");
CREATE INDEX "idx_programs_organization_id"
    ON "programs" ("organization_id");
CREATE INDEX "idx_program_terms_vocabulary_slug"
    ON "program_terms" ("vocabulary", "slug");
COMMIT;
