using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdContact.Desk.Tenants.Migrations.Postgres.Desk
{
    /// <inheritdoc />
    public partial class AgentCallLease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AgentSeenAt",
                table: "Sessions",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AgentSeenAt",
                table: "Sessions");
        }
    }
}
