using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdContact.Desk.Tenants.Migrations.Sqlite.Desk
{
    /// <inheritdoc />
    public partial class QueueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Sessions_Queue",
                table: "Sessions",
                columns: new[] { "Channel", "CreatedAt" },
                filter: "\"State\" = 1 AND \"AgentId\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sessions_Queue",
                table: "Sessions");
        }
    }
}
