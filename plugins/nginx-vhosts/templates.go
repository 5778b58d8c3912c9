package nginxvhosts

import _ "embed"

// Templates and error pages shipped with the plugin. They are also written
// into the plugin directory (templates/) where Dokku keeps them.
var (
	//go:embed templates/nginx.conf.sigil
	builtinTemplate string
	//go:embed templates/hsts.conf.sigil
	hstsTemplate string
	//go:embed templates/validate.conf.sigil
	validateTemplate string
	//go:embed templates/dokku.conf.sigil
	dokkuConfTemplate string
	//go:embed templates/400-error.html
	error400 string
	//go:embed templates/404-error.html
	error404 string
	//go:embed templates/500-error.html
	error500 string
	//go:embed templates/502-error.html
	error502 string
)

// errorPages are installed into data/nginx-vhosts/dokku-errors.
var errorPages = map[string]*string{
	"400-error.html": &error400,
	"404-error.html": &error404,
	"500-error.html": &error500,
	"502-error.html": &error502,
}

func pluginFiles() map[string]string {
	files := map[string]string{
		"templates/nginx.conf.sigil":    builtinTemplate,
		"templates/hsts.conf.sigil":     hstsTemplate,
		"templates/validate.conf.sigil": validateTemplate,
		"templates/dokku.conf.sigil":    dokkuConfTemplate,
	}
	for name, content := range errorPages {
		files["templates/"+name] = *content
	}
	return files
}
