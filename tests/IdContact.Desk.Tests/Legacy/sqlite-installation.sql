-- The schema EnsureCreated made before migrations (main at c943e5f): GenerateCreateScript() of that code.
-- Tests build a pre-migrations database from it; never edit it to follow the model.
CREATE TABLE "UsedResults" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_UsedResults" PRIMARY KEY,
    "ExpiresAt" INTEGER NOT NULL
);


CREATE INDEX "IX_UsedResults_ExpiresAt" ON "UsedResults" ("ExpiresAt");


