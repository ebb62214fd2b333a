using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdContact.Desk.Tenants.Migrations.Postgres.Desk
{
    /// <inheritdoc />
    public partial class CancelledLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CancelledLinks",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Until = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CancelledLinks", x => x.Hash);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CancelledLinks_Until",
                table: "CancelledLinks",
                column: "Until");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CancelledLinks");
        }
    }
}
