-- The schema EnsureCreated made before migrations (main at c943e5f): GenerateCreateScript() of that code.
-- Tests build a pre-migrations database from it; never edit it to follow the model.
CREATE TABLE "AdminAudit" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AdminAudit" PRIMARY KEY AUTOINCREMENT,
    "AdminId" TEXT NOT NULL,
    "AdminName" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "AgentId" TEXT NOT NULL,
    "AgentName" TEXT NOT NULL,
    "Detail" TEXT NULL,
    "At" INTEGER NOT NULL
);


CREATE TABLE "AgentPresence" (
    "AgentId" TEXT NOT NULL CONSTRAINT "PK_AgentPresence" PRIMARY KEY,
    "Available" INTEGER NOT NULL,
    "Since" INTEGER NOT NULL
);


CREATE TABLE "Appointments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Appointments" PRIMARY KEY,
    "SessionId" TEXT NOT NULL,
    "Purpose" TEXT NOT NULL,
    "BookingHash" TEXT NULL,
    "BookingExpiresAt" INTEGER NOT NULL,
    "LinkHash" TEXT NULL,
    "CancelHash" TEXT NULL,
    "Start" INTEGER NULL,
    "End" INTEGER NULL,
    "DeskNumber" INTEGER NULL,
    "Email" TEXT NULL,
    "AgentId" TEXT NULL,
    "PlannedBy" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);


CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);


CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "Extension" TEXT NULL,
    "MustChangePassword" INTEGER NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" INTEGER NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);


CREATE TABLE "Audit" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Audit" PRIMARY KEY AUTOINCREMENT,
    "AgentId" TEXT NOT NULL,
    "AgentName" TEXT NOT NULL,
    "SessionId" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "At" INTEGER NOT NULL
);


CREATE TABLE "CallAttempts" (
    "CallId" TEXT NOT NULL CONSTRAINT "PK_CallAttempts" PRIMARY KEY,
    "Failures" INTEGER NOT NULL,
    "LastAt" INTEGER NOT NULL
);


CREATE TABLE "ChatMessages" (
    "Sequence" INTEGER NOT NULL CONSTRAINT "PK_ChatMessages" PRIMARY KEY AUTOINCREMENT,
    "SessionId" TEXT NOT NULL,
    "ClientId" TEXT NOT NULL,
    "Sender" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "AgentName" TEXT NULL,
    "Text" TEXT NOT NULL,
    "At" INTEGER NOT NULL
);


CREATE TABLE "Outbox" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Outbox" PRIMARY KEY,
    "AppointmentId" TEXT NOT NULL,
    "ProtectedMessage" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "LastError" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL
);


CREATE TABLE "Sessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Sessions" PRIMARY KEY,
    "Channel" TEXT NOT NULL,
    "Purpose" TEXT NOT NULL,
    "State" INTEGER NOT NULL,
    "ResultToken" TEXT NULL,
    "ResultTokenHash" TEXT NULL,
    "Code" TEXT NULL,
    "CodeExpiresAt" INTEGER NULL,
    "SecretHash" TEXT NULL,
    "CallId" TEXT NULL,
    "AgentId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "LastActivityAt" INTEGER NOT NULL
);


CREATE TABLE "WrongCodeWindows" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_WrongCodeWindows" PRIMARY KEY,
    "WindowStart" INTEGER NOT NULL,
    "Count" INTEGER NOT NULL,
    "Alerted" INTEGER NOT NULL
);


CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AuthenticatorUses" (
    "AgentId" TEXT NOT NULL CONSTRAINT "PK_AuthenticatorUses" PRIMARY KEY,
    "LastStep" INTEGER NOT NULL,
    CONSTRAINT "FK_AuthenticatorUses_AspNetUsers_AgentId" FOREIGN KEY ("AgentId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE INDEX "IX_AdminAudit_At" ON "AdminAudit" ("At");


CREATE UNIQUE INDEX "IX_Appointments_BookingHash" ON "Appointments" ("BookingHash");


CREATE UNIQUE INDEX "IX_Appointments_CancelHash" ON "Appointments" ("CancelHash");


CREATE INDEX "IX_Appointments_End" ON "Appointments" ("End");


CREATE UNIQUE INDEX "IX_Appointments_LinkHash" ON "Appointments" ("LinkHash");


CREATE UNIQUE INDEX "IX_Appointments_Start_DeskNumber" ON "Appointments" ("Start", "DeskNumber");


CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");


CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");


CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");


CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");


CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");


CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");


CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");


CREATE INDEX "IX_Audit_SessionId" ON "Audit" ("SessionId");


CREATE UNIQUE INDEX "IX_ChatMessages_SessionId_ClientId" ON "ChatMessages" ("SessionId", "ClientId");


CREATE INDEX "IX_Outbox_AppointmentId" ON "Outbox" ("AppointmentId");


CREATE INDEX "IX_Outbox_NextAttemptAt" ON "Outbox" ("NextAttemptAt");


CREATE INDEX "IX_Sessions_CallId" ON "Sessions" ("CallId");


CREATE UNIQUE INDEX "IX_Sessions_Code" ON "Sessions" ("Code");


CREATE INDEX "IX_Sessions_LastActivityAt" ON "Sessions" ("LastActivityAt");


CREATE UNIQUE INDEX "IX_Sessions_ResultTokenHash" ON "Sessions" ("ResultTokenHash");


CREATE INDEX "IX_WrongCodeWindows_WindowStart" ON "WrongCodeWindows" ("WindowStart");


