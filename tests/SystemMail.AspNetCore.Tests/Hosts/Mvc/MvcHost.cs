using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.AspNetCore.Tests.Hosts;

/// <summary>
/// An MVC host: controllers with views on the conventional route, among them an <c>AdminController</c> whose
/// <c>/admin/{action}</c> URLs sit beside the page's <c>/admin/mail</c>, and its static files. Its own page
/// answers GET and a POST with an antiforgery token ("Posted.").
/// </summary>
public sealed class MvcHost : HostFramework
{
    public override string Name => "mvc";

    public override (string Path, string Text) OwnRoute => ("/admin/users", "MVC users of Acme IoT");

    public override void AddServices(IServiceCollection services) => services.AddControllersWithViews();

    public override void Configure(WebApplication app, Action<IEndpointRouteBuilder> mapMail)
    {
        app.UseStaticFiles();
        app.MapControllerRoute("default", "{controller=Home}/{action=Index}/{id?}");
        mapMail(app);
    }
}

/// <summary>The MVC host's own administration under <c>/admin</c>: a view, and a form that posts with an antiforgery token.</summary>
public sealed class AdminController : Controller
{
    private const string UsersView = "/Hosts/Mvc/Users.cshtml";

    [HttpGet]
    public IActionResult Users() => View(UsersView, false);

    [HttpPost]
    [ActionName(nameof(Users))]
    [ValidateAntiForgeryToken]
    public IActionResult Invite() => View(UsersView, true);
}
