using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdContact.Desk.Tenants.Migrations.Sqlite.Desk
{
    /// <inheritdoc />
    public partial class AgentHoldsForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rows naming deleted accounts are handed back first, or the keys below could not be added.
            foreach (var statement in OrphanHolders.Clear)
            {
                migrationBuilder.Sql(statement);
            }

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_AgentId",
                table: "Sessions",
                column: "AgentId");

            migrationBuilder.CreateIndex(
                name: "IX_Appointments_AgentId",
                table: "Appointments",
                column: "AgentId");

            migrationBuilder.AddForeignKey(
                name: "FK_AgentPresence_AspNetUsers_AgentId",
                table: "AgentPresence",
                column: "AgentId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Appointments_AspNetUsers_AgentId",
                table: "Appointments",
                column: "AgentId",
                principalTable: "AspNetUsers",
                principalColumn: "Id");

            migrationBuilder.AddForeignKey(
                name: "FK_Sessions_AspNetUsers_AgentId",
                table: "Sessions",
                column: "AgentId",
                principalTable: "AspNetUsers",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AgentPresence_AspNetUsers_AgentId",
                table: "AgentPresence");

            migrationBuilder.DropForeignKey(
                name: "FK_Appointments_AspNetUsers_AgentId",
                table: "Appointments");

            migrationBuilder.DropForeignKey(
                name: "FK_Sessions_AspNetUsers_AgentId",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_Sessions_AgentId",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_Appointments_AgentId",
                table: "Appointments");
        }
    }
}
