-- The schema EnsureCreated made before migrations (main at c943e5f): GenerateCreateScript() of that code.
-- Tests build a pre-migrations database from it; never edit it to follow the model.
CREATE TABLE "UsedResults" (
    "Key" character varying(64) NOT NULL,
    "ExpiresAt" bigint NOT NULL,
    CONSTRAINT "PK_UsedResults" PRIMARY KEY ("Key")
);


CREATE INDEX "IX_UsedResults_ExpiresAt" ON "UsedResults" ("ExpiresAt");


