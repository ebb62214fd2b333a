using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdContact.Desk.Tenants.Migrations.Sqlite.Desk
{
    /// <inheritdoc />
    public partial class BookingCaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EmailHash",
                table: "Appointments",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EmailNumber",
                table: "Appointments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AddressBookings",
                columns: table => new
                {
                    AddressHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AddressBookings", x => new { x.AddressHash, x.Day, x.Number });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Appointments_EmailHash_EmailNumber",
                table: "Appointments",
                columns: new[] { "EmailHash", "EmailNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AddressBookings_Day",
                table: "AddressBookings",
                column: "Day");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AddressBookings");

            migrationBuilder.DropIndex(
                name: "IX_Appointments_EmailHash_EmailNumber",
                table: "Appointments");

            migrationBuilder.DropColumn(
                name: "EmailHash",
                table: "Appointments");

            migrationBuilder.DropColumn(
                name: "EmailNumber",
                table: "Appointments");
        }
    }
}
