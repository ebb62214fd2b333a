namespace IdContact.Desk.Pages;

/// <summary>The staff pages <see cref="StaffNav"/> links; the one shown is marked as current.</summary>
public enum StaffPage
{
    None,
    Overview,
    Appointments,
    Admin,
    Staffing,
    AccessLog,
    Audit,
    Account,
}
