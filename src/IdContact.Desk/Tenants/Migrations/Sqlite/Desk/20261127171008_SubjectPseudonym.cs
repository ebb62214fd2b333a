using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdContact.Desk.Tenants.Migrations.Sqlite.Desk
{
    /// <inheritdoc />
    public partial class SubjectPseudonym : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SubjectPseudonym",
                table: "Sessions",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SubjectPseudonym",
                table: "Audit",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PseudonymKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Protected = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PseudonymKeys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Audit_SubjectPseudonym_At",
                table: "Audit",
                columns: new[] { "SubjectPseudonym", "At" },
                filter: "\"SubjectPseudonym\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PseudonymKeys");

            migrationBuilder.DropIndex(
                name: "IX_Audit_SubjectPseudonym_At",
                table: "Audit");

            migrationBuilder.DropColumn(
                name: "SubjectPseudonym",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "SubjectPseudonym",
                table: "Audit");
        }
    }
}
