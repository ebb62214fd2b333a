using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdContact.Desk.Tenants.Migrations.Sqlite.Desk
{
    /// <inheritdoc />
    public partial class EncryptAppointmentEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
