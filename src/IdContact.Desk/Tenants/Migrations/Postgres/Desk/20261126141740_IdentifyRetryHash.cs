using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdContact.Desk.Tenants.Migrations.Postgres.Desk
{
    /// <inheritdoc />
    public partial class IdentifyRetryHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CallCodeHash",
                table: "Sessions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CallCodeHash",
                table: "Sessions");
        }
    }
}
